import { Confirmation } from '../../../../components/checkout/confirmation';
import { firstParam, type SearchParams } from '../../../../lib/catalog-params';
import { pageMetadata } from '../../../../lib/seo';

export const metadata = pageMetadata({ title: 'Merci pour votre commande', description: 'Confirmation de commande.', path: '/commande', noindex: true });

/** Order confirmation; `?token=` (from the e-mail) lets a guest see the order later; `?paiement=stripe`: back from Stripe's page. */
export default async function ConfirmationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const query = await searchParams;
  const token = firstParam(query.token);
  return <Confirmation id={id} {...(token ? { token } : {})} fromPaymentPage={firstParam(query.paiement) === 'stripe'} />;
}
