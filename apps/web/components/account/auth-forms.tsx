'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { shop } from '../../lib/api/client';
import { refreshCart } from '../../lib/cart-store';
import { EmailField, Field } from '../ui/field';
import { useFormErrors } from '../ui/use-form-errors';
import { FormAlert } from './form-alert';
import { safeNext } from './use-user';

/** Sign-in form; the guest cart merges into the account's, so the header count is refreshed. */
export function LoginForm({ next }: { next?: string }) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, errors, report, recheck } = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = 'Indiquez votre adresse e-mail.';
    if (!password) missing.password = 'Indiquez votre mot de passe.';
    report(missing);
    if (Object.keys(missing).length > 0) return setError(null);
    setBusy(true);
    const result = await shop.login(email.trim(), password);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    await refreshCart();
    router.push(safeNext(next));
    router.refresh();
  }

  return (
    <form ref={formRef} className="panel auth-form" onSubmit={submit} noValidate>
      <FormAlert message={error} />
      <EmailField
        value={email}
        error={errors.email}
        onValue={(value) => (setEmail(value), recheck('email', value.trim() ? undefined : 'Indiquez votre adresse e-mail.'))}
      />
      <Field
        label="Mot de passe"
        name="password"
        type="password"
        required
        autoComplete="current-password"
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          recheck('password', e.target.value ? undefined : 'Indiquez votre mot de passe.');
        }}
        error={errors.password}
      />
      <button type="submit" className="button button--block" disabled={busy}>
        {busy ? 'Connexion…' : 'Se connecter'}
      </button>
      <p className="auth-form__links">
        <Link href="/compte/mot-de-passe-oublie">Mot de passe oublié ?</Link>
        <Link href={next ? `/compte/inscription?suite=${encodeURIComponent(next)}` : '/compte/inscription'}>Créer un compte</Link>
      </p>
    </form>
  );
}

function registerErrors(values: { name: string; email: string; password: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Indiquez votre nom.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = 'Indiquez une adresse e-mail valide, par exemple marie@exemple.fr.';
  if (values.password.length < 10) errors.password = 'Le mot de passe doit compter au moins 10 caractères.';
  return errors;
}

/** Sign-up form (the API checks the password's strength and answers in French). */
export function RegisterForm({ next, email = '' }: { next?: string; email?: string }) {
  const router = useRouter();
  const [values, setValues] = useState({ name: '', email, password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, errors: fields, report, recheck } = useFormErrors();
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => {
    const next = { ...values, [key]: event.target.value };
    setValues(next);
    recheck(key, registerErrors(next)[key]);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing = registerErrors(values);
    report(missing);
    if (Object.keys(missing).length > 0) return setError('Vérifiez les champs signalés.');
    setBusy(true);
    const result = await shop.register({ name: values.name.trim(), email: values.email.trim(), password: values.password });
    setBusy(false);
    if (!result.ok) {
      report(result.fields);
      return setError(result.message);
    }
    await refreshCart();
    router.push(safeNext(next));
    router.refresh();
  }

  return (
    <form ref={formRef} className="panel auth-form" onSubmit={submit} noValidate>
      <FormAlert message={error} />
      <Field label="Nom" name="name" required autoComplete="name" value={values.name} onChange={set('name')} error={fields.name} />
      <Field label="E-mail" name="email" type="email" required autoComplete="email" value={values.email} onChange={set('email')} error={fields.email} />
      <Field
        label="Mot de passe"
        name="password"
        type="password"
        required
        autoComplete="new-password"
        value={values.password}
        onChange={set('password')}
        error={fields.password}
        hint="10 caractères minimum. Une phrase de quelques mots est idéale."
      />
      <button type="submit" className="button button--block" disabled={busy}>
        {busy ? 'Création…' : 'Créer mon compte'}
      </button>
      <p className="auth-form__links">
        <Link href="/compte/connexion">J’ai déjà un compte</Link>
      </p>
    </form>
  );
}
