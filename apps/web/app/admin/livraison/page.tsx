import { ShippingMethodsAdmin } from '../_components/shipping-methods';

/** The shipping methods in the back office. */
export default function AdminShippingPage() {
  return (
    <>
      <h1 className="page-title">Modes de livraison</h1>
      <ShippingMethodsAdmin />
    </>
  );
}
