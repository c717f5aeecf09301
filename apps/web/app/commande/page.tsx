import { CheckoutForm } from '../../components/checkout/checkout-form';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Commande', description: 'Finalisez votre commande GirlyCrea.', path: '/commande', noindex: true });

/** Checkout (client-side: it works on the visitor's session cart; the payment methods come from the API). */
export default function CheckoutPage() {
  return (
    <>
      <h1 className="page-title">Finaliser ma commande</h1>
      <CheckoutForm />
    </>
  );
}
