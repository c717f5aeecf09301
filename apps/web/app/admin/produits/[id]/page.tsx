import { ProductEditor } from '../../_components/product-editor';

/** One product in the back office. */
export default async function AdminProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ProductEditor id={id} />;
}
