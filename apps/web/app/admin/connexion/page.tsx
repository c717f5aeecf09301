import type { Metadata } from 'next';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { AdminSignIn } from '../_components/sign-in';

export const metadata: Metadata = { title: 'Connexion — Administration', robots: { index: false, follow: false } };

/** The owner's sign-in, with the second factor. */
export default async function AdminSignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const next = firstParam((await searchParams).suite);
  return (
    <div className="narrow">
      <h1 className="page-title">Administration</h1>
      <AdminSignIn {...(next ? { next } : {})} />
    </div>
  );
}
