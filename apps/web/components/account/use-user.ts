'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { User } from '@girlycrea/contract';
import { shop } from '../../lib/api/client';

/** A same-site path to go back to after signing in, or the account page. */
export function safeNext(raw: string | undefined): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/compte';
}

/** The signed-in customer; sends guests to the sign-in page (and back here afterwards). */
export function useRequiredUser(): { user: User | null; error: string | null } {
  const router = useRouter();
  const pathname = usePathname();
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void shop.me().then((result) => {
      if (result.ok) setUser(result.data);
      else if (result.status === 401) router.replace(`/compte/connexion?suite=${encodeURIComponent(pathname)}`);
      else setError(result.message);
    });
  }, [router, pathname]);
  return { user, error };
}
