import { CustomersList } from '../_components/customers';

/** The customers, searchable. */
export default function AdminCustomersPage() {
  return (
    <>
      <h1 className="page-title">Clientes</h1>
      <CustomersList />
    </>
  );
}
