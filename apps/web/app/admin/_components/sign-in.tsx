'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { Field } from '../../../components/ui/field';
import { adminFetch, setCsrfToken } from '../_lib/admin-api';

type Step = { name: 'password' } | { name: 'setup'; secret: string; otpauthUrl: string } | { name: 'code' } | { name: 'recovery-codes'; codes: string[] };

/** Sends only to a back office page after sign-in. */
const safeNext = (next: string | undefined) => (next && /^\/admin(\/[\w/-]*)?$/.test(next) && next !== '/admin/connexion' ? next : '/admin');

/**
 * The owner's sign-in: e-mail and password, then the code of her authenticator app. At the first
 * sign-in she sets the app up (secret to scan or type) and receives her recovery codes.
 */
export function AdminSignIn({ next }: { next?: string }) {
  const router = useRouter();
  const [step, setStep] = useState<Step>({ name: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCsrfToken(null);
    const login = await adminFetch<{ user: { role: string } }>('POST', '/api/auth/login', { email: email.trim(), password });
    setCsrfToken(null);
    if (!login.ok) {
      setBusy(false);
      return setError(login.message);
    }
    if (login.data.user.role !== 'admin') {
      setBusy(false);
      return setError('Ce compte n’a pas accès à l’administration.');
    }
    const status = await adminFetch<{ enrolled: boolean; verified: boolean }>('GET', '/api/auth/totp/status');
    if (status.ok && status.data.enrolled) {
      setBusy(false);
      return setStep({ name: 'code' });
    }
    const setup = await adminFetch<{ secret: string; otpauthUrl: string }>('POST', '/api/auth/totp/setup');
    setBusy(false);
    if (!setup.ok) return setError(setup.message);
    setStep({ name: 'setup', ...setup.data });
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    if (step.name === 'setup') {
      const res = await adminFetch<{ recoveryCodes: string[]; csrfToken: string }>('POST', '/api/auth/totp/enable', { code: code.trim() });
      setBusy(false);
      if (!res.ok) return setError(res.message);
      setCsrfToken(res.data.csrfToken);
      return setStep({ name: 'recovery-codes', codes: res.data.recoveryCodes });
    }
    const res = await adminFetch<{ csrfToken: string }>('POST', '/api/auth/totp/verify', useRecovery ? { recoveryCode: code.trim() } : { code: code.trim() });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    setCsrfToken(res.data.csrfToken);
    router.push(safeNext(next));
  }

  if (step.name === 'recovery-codes') {
    return (
      <div className="panel admin-panel">
        <h2>Vos codes de secours</h2>
        <p>Notez-les et gardez-les en lieu sûr : chacun remplace une fois le code de l’application si vous perdez votre téléphone. Ils ne seront plus affichés.</p>
        <ul className="admin-codes" data-testid="codes-de-secours">
          {step.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button" onClick={() => router.push(safeNext(next))}>
          J’ai noté mes codes, continuer
        </button>
      </div>
    );
  }

  if (step.name === 'password') {
    return (
      <form className="panel admin-panel" onSubmit={signIn} noValidate>
        <FormAlert message={error} />
        <Field label="E-mail" name="email" type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Mot de passe" name="password" type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? 'Connexion…' : 'Se connecter'}
        </button>
      </form>
    );
  }

  return (
    <form className="panel admin-panel" onSubmit={confirm} noValidate>
      <FormAlert message={error} />
      {step.name === 'setup' ? (
        <>
          <h2>Première connexion : la double authentification</h2>
          <p>
            Dans votre application d’authentification (Google Authenticator, Aegis, 1Password…), ajoutez un compte avec cette clé, ou ouvrez ce{' '}
            <a href={step.otpauthUrl}>lien de configuration</a> sur votre téléphone :
          </p>
          <p className="admin-secret">
            <code data-testid="cle-totp">{step.secret}</code>
          </p>
        </>
      ) : (
        <h2>Code de vérification</h2>
      )}
      <Field
        label={useRecovery ? 'Code de secours' : 'Code à 6 chiffres de l’application'}
        name="code"
        required
        autoComplete="one-time-code"
        inputMode={useRecovery ? 'text' : 'numeric'}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <button type="submit" className="button button--block" disabled={busy}>
        {busy ? 'Vérification…' : 'Valider'}
      </button>
      {step.name === 'code' && (
        <button type="button" className="button button--ghost button--block" onClick={() => setUseRecovery(!useRecovery)}>
          {useRecovery ? 'Utiliser le code de l’application' : 'J’ai perdu mon téléphone : utiliser un code de secours'}
        </button>
      )}
    </form>
  );
}
