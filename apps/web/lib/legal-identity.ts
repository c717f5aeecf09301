/**
 * The seller's identity printed on the legal pages (LCEN art. 6, Code de la consommation L.612-1).
 * Read from the environment by `lib/config.ts`; a production build refuses to ship without it.
 */
export interface LegalIdentity {
  name: string;
  legalForm: string;
  siret: string;
  address: string;
  vatNumber: string;
  email: string;
  publisher: string;
  host: string;
  mediator: string;
}

/** Each field, the variable it comes from and what a missing value shows in development. */
export const LEGAL_FIELDS: Record<keyof LegalIdentity, { env: string; label: string }> = {
  name: { env: 'SELLER_NAME', label: 'nom commercial' },
  legalForm: { env: 'SELLER_LEGAL_FORM', label: 'forme juridique' },
  siret: { env: 'SELLER_SIRET', label: 'SIRET' },
  address: { env: 'SELLER_ADDRESS', label: 'adresse du siège' },
  vatNumber: { env: 'SELLER_VAT_NUMBER', label: 'n° de TVA intracommunautaire' },
  email: { env: 'SELLER_EMAIL', label: 'e-mail de contact' },
  publisher: { env: 'SELLER_PUBLISHER', label: 'directeur·rice de la publication' },
  host: { env: 'SELLER_HOST', label: 'hébergeur (nom, adresse, téléphone)' },
  mediator: { env: 'SELLER_MEDIATOR', label: 'médiateur de la consommation (nom, site)' },
};

/** Thrown when a production build lacks part of the seller's identity; the message names every missing variable. */
export class MissingLegalIdentityError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `Mentions légales incomplètes : ${missing.join(', ')} manquant(s). Renseignez-les (voir .env.example) avant un build de production ` +
        '(LEGAL_PLACEHOLDERS=allow accepte des valeurs provisoires, jamais sur le serveur).',
    );
    this.name = 'MissingLegalIdentityError';
  }
}

/**
 * Reads the identity from `env`. A missing field becomes a visible placeholder ("[SIRET à compléter]")
 * when `allowPlaceholders`, and otherwise a `MissingLegalIdentityError` naming every missing variable.
 */
export function readLegalIdentity(env: Record<string, string | undefined>, allowPlaceholders: boolean): LegalIdentity {
  const missing: string[] = [];
  const entries = Object.entries(LEGAL_FIELDS).map(([key, field]) => {
    const value = env[field.env]?.trim();
    if (!value) missing.push(field.env);
    return [key, value || `[${field.label} à compléter : ${field.env}]`];
  });
  if (missing.length > 0 && !allowPlaceholders) throw new MissingLegalIdentityError(missing);
  return Object.fromEntries(entries) as unknown as LegalIdentity;
}
