import { DiscountsAdmin } from '../_components/discounts';

/** The discount codes in the back office. */
export default function AdminDiscountsPage() {
  return (
    <>
      <h1 className="page-title">Codes promo</h1>
      <DiscountsAdmin />
    </>
  );
}
