import { AccountHome } from '../../components/account/account-home';
import { pageMetadata } from '../../lib/seo';

export const metadata = pageMetadata({ title: 'Mon compte', description: 'Votre compte GirlyCrea.', path: '/compte', noindex: true });

/** Account dashboard (client-side: it depends on the session). */
export default function AccountPage() {
  return (
    <>
      <h1 className="page-title">Mon compte</h1>
      <AccountHome />
    </>
  );
}
