import { ResetRequestForm } from '../../../components/account/password-forms';
import { pageMetadata } from '../../../lib/seo';

export const metadata = pageMetadata({ title: 'Mot de passe oublié', description: 'Recevez un lien pour choisir un nouveau mot de passe.', path: '/compte/mot-de-passe-oublie', noindex: true });

/** Password reset request. */
export default function ResetRequestPage() {
  return (
    <div className="narrow">
      <h1 className="page-title">Mot de passe oublié</h1>
      <p className="page-lead">Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.</p>
      <ResetRequestForm />
    </div>
  );
}
