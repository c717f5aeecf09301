import { OrderDetail } from '../../_components/order-detail';

/** One order in the back office. */
export default async function AdminOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OrderDetail id={id} />;
}
