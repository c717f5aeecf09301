import { RegisterForm } from '../../../components/account/auth-forms';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Créer un compte', description: 'Créez votre compte GirlyCrea.', path: '/compte/inscription', noindex: true });

/** Sign-up page; `?email=` fills in the address (from a guest's order confirmation). */
export default async function RegisterPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const next = firstParam(query.suite);
  // From a guest's order confirmation: the order's e-mail, filled in.
  const email = firstParam(query.email);
  return (
    <div className="narrow">
      <h1 className="page-title">Créer un compte</h1>
      <p className="page-lead">Suivez vos commandes et retrouvez vos adresses en un clin d’œil.</p>
      <RegisterForm {...(next ? { next } : {})} {...(email ? { email: email.slice(0, 254) } : {})} />
    </div>
  );
}
