import Link from 'next/link';
import { ResetConfirmForm } from '../../../components/account/password-forms';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Nouveau mot de passe', description: 'Choisissez un nouveau mot de passe.', path: '/compte/mot-de-passe', noindex: true });

/** Password reset confirmation, reached from the e-mailed link (`?token=…`). */
export default async function ResetConfirmPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = firstParam((await searchParams).token) ?? '';
  return (
    <div className="narrow">
      <h1 className="page-title">Nouveau mot de passe</h1>
      {/^[A-Za-z0-9_-]{20,200}$/.test(token) ? (
        <ResetConfirmForm token={token} />
      ) : (
        <div className="notice notice--warning" role="alert">
          <p>Ce lien est incomplet ou n’est plus valable.</p>
          <p>
            <Link href="/compte/mot-de-passe-oublie">Demander un nouveau lien</Link>
          </p>
        </div>
      )}
    </div>
  );
}
