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
