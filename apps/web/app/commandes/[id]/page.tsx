import { OrderTracking } from '../../../components/checkout/order-tracking';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Suivi de commande', description: 'Le suivi de votre commande GirlyCrea.', path: '/commandes', noindex: true });

/** Order tracking from the confirmation e-mail (`/commandes/<id>?token=…`, the API's link). */
export default async function OrderTrackingPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const token = firstParam((await searchParams).token);
  return <OrderTracking id={id} {...(token ? { token } : {})} />;
}
