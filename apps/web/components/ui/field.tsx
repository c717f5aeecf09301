import type { InputHTMLAttributes } from 'react';

/** A labelled input with an optional hint and error, wired for screen readers. */
export function Field({ label, name, error, hint, ...input }: { label: string; name: string; error?: string | undefined; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `champ-${name}`;
  const describedBy = [hint ? `${id}-aide` : null, error ? `${id}-erreur` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>
        {label}
        {input.required ? null : <span className="field__optional"> (facultatif)</span>}
      </label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p id={`${id}-aide`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-erreur`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The shopper's e-mail, the same in every form; `onValue` gets what she typed, to store and re-check. */
export function EmailField({ value, onValue, error, hint }: { value: string; onValue: (value: string) => void; error?: string | undefined; hint?: string }) {
  return <Field label="E-mail" name="email" type="email" required autoComplete="email" value={value} onChange={(e) => onValue(e.target.value)} error={error} {...(hint ? { hint } : {})} />;
}
