import { LoginForm } from '../../../components/account/auth-forms';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Connexion', description: 'Connectez-vous à votre compte GirlyCrea.', path: '/compte/connexion', noindex: true });

/** Sign-in page; `?suite=/chemin` is where to go afterwards. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const next = firstParam((await searchParams).suite);
  return (
    <div className="narrow">
      <h1 className="page-title">Connexion</h1>
      <LoginForm {...(next ? { next } : {})} />
    </div>
  );
}
