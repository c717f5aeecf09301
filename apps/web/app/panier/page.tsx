import { CartView } from '../../components/cart/cart-view';
import { PaymentReturn } from '../../components/cart/payment-return';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Mon panier', description: 'Votre panier GirlyCrea.', path: '/panier', noindex: true });

/** The cart (client-side: it belongs to the visitor's session). */
export default function CartPage() {
  return (
    <>
      <h1 className="page-title">Mon panier</h1>
      <PaymentReturn />
      <CartView />
    </>
  );
}
