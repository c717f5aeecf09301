import { CheckoutForm } from '../../components/checkout/checkout-form';
import { STRIPE_PUBLISHABLE_KEY } from '../../lib/config';
import { pageMetadata } from '../../lib/seo';

// Read per request: whether Stripe is configured is a runtime setting.
export const dynamic = 'force-dynamic';

export const metadata = pageMetadata({ title: 'Commande', description: 'Finalisez votre commande GirlyCrea.', path: '/commande', noindex: true });

/** Checkout (client-side: it works on the visitor's session cart). */
export default function CheckoutPage() {
  return (
    <>
      <h1 className="page-title">Finaliser ma commande</h1>
      <CheckoutForm stripeEnabled={STRIPE_PUBLISHABLE_KEY !== null} />
    </>
  );
}
