import { OrdersList } from '../_components/orders-list';

/** The orders, with filters and the accountant's export. */
export default function AdminOrdersPage() {
  return (
    <>
      <h1 className="page-title">Commandes</h1>
      <OrdersList />
    </>
  );
}
