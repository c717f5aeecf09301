import { DashboardView } from './_components/dashboard';

/** Back office home: the day's figures and what needs the owner. */
export default function AdminDashboardPage() {
  return (
    <>
      <h1 className="page-title">Tableau de bord</h1>
      <DashboardView />
    </>
  );
}
