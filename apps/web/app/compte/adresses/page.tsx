import { AddressBook } from '../../../components/account/address-book';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Mes adresses', description: 'Vos adresses de livraison.', path: '/compte/adresses', noindex: true });

/** The customer's address book. */
export default function AddressesPage() {
  return (
    <>
      <h1 className="page-title">Mes adresses</h1>
      <AddressBook />
    </>
  );
}
