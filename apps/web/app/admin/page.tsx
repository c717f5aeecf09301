import { OrdersList } from './_components/orders-list';

/** Back office home: the orders. */
export default function AdminOrdersPage() {
  return (
    <>
      <h1 className="page-title">Commandes</h1>
      <OrdersList />
    </>
  );
}
