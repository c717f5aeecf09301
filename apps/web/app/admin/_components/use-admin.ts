'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { adminFetch, needsSignIn, type AdminResult } from '../_lib/admin-api';

/** Loads `path` on mount (and on `reload()`); sends the owner to the sign-in page when the API asks for it. */
export function useAdminData<T>(path: string): { data: T | null; error: string | null; reload: () => void } {
  const router = useRouter();
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void adminFetch<T>('GET', path).then((result: AdminResult<T>) => {
      if (!live) return;
      if (needsSignIn(result)) return router.replace(`/admin/connexion?suite=${encodeURIComponent(window.location.pathname)}`);
      setState(result.ok ? { data: result.data, error: null } : { data: null, error: result.message });
    });
    return () => {
      live = false;
    };
  }, [path, version, router]);
  return { ...state, reload: useCallback(() => setVersion((v) => v + 1), []) };
}

/** What the last write said, in French: shown above the page's content. */
export type AdminMessage = { text: string; kind: 'error' | 'success' };

/**
 * One write at a time from a back office page: `send` calls the API, shows `done` or the API's
 * message, reloads the page's data on success and says whether it succeeded.
 */
export function useAdminWrite(reload: () => void) {
  const [message, setMessage] = useState<AdminMessage | null>(null);
  const [busy, setBusy] = useState(false);
  async function send(method: 'POST' | 'PATCH', path: string, body: unknown, done: string, headers: Record<string, string> = {}): Promise<boolean> {
    setBusy(true);
    const res = await adminFetch(method, path, body, headers);
    setBusy(false);
    setMessage(res.ok ? { text: done, kind: 'success' } : { text: res.message, kind: 'error' });
    if (res.ok) reload();
    return res.ok;
  }
  return { message, setMessage, busy, send };
}
