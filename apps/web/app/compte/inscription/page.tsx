import { RegisterForm } from '../../../components/account/auth-forms';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Créer un compte', description: 'Créez votre compte GirlyCrea.', path: '/compte/inscription', noindex: true });

/** Sign-up page. */
export default async function RegisterPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const next = firstParam((await searchParams).suite);
  return (
    <div className="narrow">
      <h1 className="page-title">Créer un compte</h1>
      <p className="page-lead">Suivez vos commandes et retrouvez vos adresses en un clin d’œil.</p>
      <RegisterForm {...(next ? { next } : {})} />
    </div>
  );
}
