'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import type { User } from '@girlycrea/contract';
import { shop } from '../../lib/api/client';
import { FormAlert } from './form-alert';

/** On the account page while the address is unconfirmed: why it matters, and a new link on request. */
export function EmailVerificationNotice() {
  const [message, setMessage] = useState<{ text: string; kind: 'error' | 'success' } | null>(null);
  const [busy, setBusy] = useState(false);
  async function resend() {
    setBusy(true);
    const result = await shop.resendVerification();
    setBusy(false);
    setMessage(result.ok ? { text: 'Un nouveau lien de confirmation vient de vous être envoyé.', kind: 'success' } : { text: result.message, kind: 'error' });
  }
  return (
    <div className="notice" role="region" aria-label="Adresse e-mail à confirmer">
      <p className="notice__title">Confirmez votre adresse e-mail</p>
      <p>Cliquez sur le lien de l’e-mail de bienvenue : vos commandes passées sans compte avec cette adresse rejoindront alors votre compte.</p>
      <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'success'} />
      <button type="button" className="button button--ghost" onClick={() => void resend()} disabled={busy}>
        Renvoyer le lien
      </button>
    </div>
  );
}

/** The page of the e-mailed link: confirms the address once, then points to the orders. */
export function VerifyEmail({ token }: { token: string }) {
  const [state, setState] = useState<{ user: User } | { error: string } | null>(null);
  const sent = useRef(false);
  useEffect(() => {
    // Once, even when React runs effects twice in development.
    if (sent.current) return;
    sent.current = true;
    void shop.verifyEmail(token).then((result) => setState(result.ok ? { user: result.data } : { error: result.message }));
  }, [token]);
  if (!state) return <p role="status">Confirmation de votre adresse…</p>;
  if ('error' in state) {
    return (
      <div className="notice notice--warning" role="alert">
        <p className="notice__title">Adresse non confirmée</p>
        <p>{state.error}</p>
        <p>
          <Link href="/compte">Mon compte</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="notice" role="status">
      <p className="notice__title">Adresse confirmée</p>
      <p>
        Merci ! L’adresse <strong>{state.user.email}</strong> est confirmée : les commandes passées avec elle, même sans compte, sont regroupées dans
        votre espace client.
      </p>
      <p>
        <Link href="/compte/commandes" className="button">
          Mes commandes
        </Link>
      </p>
    </div>
  );
}
