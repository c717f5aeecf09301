'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { shop } from '../../lib/api/client';
import { EmailField, Field } from '../ui/field';
import { useFormErrors } from '../ui/use-form-errors';
import { FormAlert } from './form-alert';

/** Asks for a reset link; the answer is the same whether or not the account exists. */
export function ResetRequestForm() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const { formRef, errors, report, recheck } = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    report(email.trim() ? {} : { email: 'Indiquez votre adresse e-mail.' });
    if (!email.trim()) return setMessage(null);
    setBusy(true);
    const result = await shop.requestPasswordReset(email.trim());
    setBusy(false);
    setMessage(
      result.ok
        ? { kind: 'success', text: 'Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé. Le lien est valable une heure.' }
        : { kind: 'error', text: result.message },
    );
  }

  return (
    <form ref={formRef} className="panel auth-form" onSubmit={submit} noValidate>
      <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
      <EmailField
        value={email}
        error={errors.email}
        onValue={(value) => (setEmail(value), recheck('email', value.trim() ? undefined : 'Indiquez votre adresse e-mail.'))}
      />
      <button type="submit" className="button button--block" disabled={busy}>
        Recevoir le lien
      </button>
    </form>
  );
}

/** Sets a new password from the e-mailed link's token. */
export function ResetConfirmForm({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, errors, report, recheck } = useFormErrors();
  const tooShort = (value: string) => (value.length < 10 ? 'Le mot de passe doit compter au moins 10 caractères.' : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const short = tooShort(password);
    report(short ? { password: short } : {});
    if (short) return setError(null);
    setBusy(true);
    const result = await shop.confirmPasswordReset(token, password);
    setBusy(false);
    if (result.ok) setDone(true);
    else setError(result.code === 'invalid_request' && !result.fields.password ? 'Ce lien n’est plus valable : demandez-en un nouveau.' : result.message);
  }

  if (done) {
    return (
      <div className="panel" role="status">
        <p className="notice__title">Mot de passe modifié</p>
        <p>Vous pouvez maintenant vous connecter avec votre nouveau mot de passe.</p>
        <p>
          <Link href="/compte/connexion" className="button">
            Se connecter
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form ref={formRef} className="panel auth-form" onSubmit={submit} noValidate>
      <FormAlert message={error} />
      <Field
        label="Nouveau mot de passe"
        name="password"
        type="password"
        required
        autoComplete="new-password"
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          recheck('password', tooShort(e.target.value));
        }}
        error={errors.password}
        hint="10 caractères minimum."
      />
      <button type="submit" className="button button--block" disabled={busy}>
        Enregistrer le mot de passe
      </button>
    </form>
  );
}
