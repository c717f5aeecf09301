import { ProductsAdmin } from '../_components/products';

/** The catalogue in the back office. */
export default function AdminProductsPage() {
  return (
    <>
      <h1 className="page-title">Produits</h1>
      <ProductsAdmin />
    </>
  );
}
