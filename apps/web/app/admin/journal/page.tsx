import { AuditLog } from '../_components/audit-log';

/** The audit log: each back office write with before and after. */
export default function AdminAuditPage() {
  return (
    <>
      <h1 className="page-title">Journal des modifications</h1>
      <AuditLog />
    </>
  );
}
