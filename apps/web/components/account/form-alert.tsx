'use client';

import { useEffect, useRef } from 'react';

/** An error summary that takes focus when it appears, so screen readers announce it. */
export function FormAlert({ message, kind = 'error' }: { message: string | null; kind?: 'error' | 'success' }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  return (
    <div ref={ref} tabIndex={-1} role={kind === 'error' ? 'alert' : 'status'} className="form-alert">
      {message && <p className={`flash flash--${kind}`}>{message}</p>}
    </div>
  );
}
