import { OrdersPage } from '../../../components/account/orders';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Mes commandes', description: 'Vos commandes GirlyCrea.', path: '/compte/commandes', noindex: true });

/** The customer's orders. */
export default function MyOrdersPage() {
  return (
    <>
      <h1 className="page-title">Mes commandes</h1>
      <OrdersPage />
    </>
  );
}
