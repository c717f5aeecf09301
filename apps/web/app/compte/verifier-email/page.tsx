import Link from 'next/link';
import { VerifyEmail } from '../../../components/account/email-verification';
import { firstParam, type SearchParams } from '../../../lib/catalog-params';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Confirmer mon adresse e-mail', description: 'Confirmation de votre adresse e-mail.', path: '/compte/verifier-email', noindex: true });

/** Reached from the welcome e-mail's link (`?token=…`): confirms the account's address. */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = firstParam((await searchParams).token) ?? '';
  return (
    <div className="narrow">
      <h1 className="page-title">Confirmer mon adresse e-mail</h1>
      {/^[A-Za-z0-9_-]{43}$/.test(token) ? (
        <VerifyEmail token={token} />
      ) : (
        <div className="notice notice--warning" role="alert">
          <p>Ce lien est incomplet : utilisez le lien complet de l’e-mail, ou demandez-en un nouveau depuis votre compte.</p>
          <p>
            <Link href="/compte">Mon compte</Link>
          </p>
        </div>
      )}
    </div>
  );
}
