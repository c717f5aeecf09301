'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { shop } from '../../lib/api/client';
import { refreshCart } from '../../lib/cart-store';
import { Field } from '../ui/field';
import { FormAlert } from './form-alert';
import { safeNext } from './use-user';

/** Sign-in form; the guest cart merges into the account's, so the header count is refreshed. */
export function LoginForm({ next }: { next?: string }) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !password) return setError('Indiquez votre e-mail et votre mot de passe.');
    setBusy(true);
    const result = await shop.login(email.trim(), password);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    await refreshCart();
    router.push(safeNext(next));
    router.refresh();
  }

  return (
    <form className="panel auth-form" onSubmit={submit} noValidate>
      <FormAlert message={error} />
      <Field label="E-mail" name="email" type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field label="Mot de passe" name="password" type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
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

/** Sign-up form (the API checks the password's strength and answers in French). */
export function RegisterForm({ next, email = '' }: { next?: string; email?: string }) {
  const router = useRouter();
  const [values, setValues] = useState({ name: '', email, password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues({ ...values, [key]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!values.name.trim()) missing.name = 'Indiquez votre nom.';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) missing.email = 'Indiquez une adresse e-mail valide.';
    if (values.password.length < 10) missing.password = 'Au moins 10 caractères.';
    setFields(missing);
    if (Object.keys(missing).length > 0) return setError('Vérifiez les champs signalés.');
    setBusy(true);
    const result = await shop.register({ name: values.name.trim(), email: values.email.trim(), password: values.password });
    setBusy(false);
    if (!result.ok) {
      setFields(result.fields);
      return setError(result.message);
    }
    await refreshCart();
    router.push(safeNext(next));
    router.refresh();
  }

  return (
    <form className="panel auth-form" onSubmit={submit} noValidate>
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
