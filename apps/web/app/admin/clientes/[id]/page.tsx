import { CustomerView } from '../../_components/customers';

/** One customer in the back office. */
export default async function AdminCustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CustomerView id={id} />;
}
