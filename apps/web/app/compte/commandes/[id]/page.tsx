import Link from 'next/link';
import { OrderDetail } from '../../../../components/account/orders';
import { pageMetadata } from '../../../../lib/seo';

export const metadata = pageMetadata({ title: 'Ma commande', description: 'Détail de votre commande.', path: '/compte/commandes', noindex: true });

/** One order of the customer. */
export default async function MyOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <p>
        <Link href="/compte/commandes">← Mes commandes</Link>
      </p>
      <h1 className="page-title">Ma commande</h1>
      <OrderDetail id={id} />
    </>
  );
}
