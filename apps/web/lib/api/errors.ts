import type { ErrorCode, StockShortages } from '@girlycrea/contract';

/** Why a call failed, so pages can choose a message without parsing strings. */
export type ApiErrorKind = 'timeout' | 'network' | 'http' | 'invalid_response';

/** A failed API call. `message` is for logs only, never shown to shoppers. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    /** HTTP status when the API answered, otherwise null. */
    readonly status: number | null = null,
    /** `error.code` from the API's error body, when present. */
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A French sentence with the number left ("Il n’en reste que 7 : …"); the generic one when the API gave no numbers. */
export function stockMessage(short: StockShortages): string {
  if (short.length === 0) return MESSAGES.out_of_stock!;
  if (short.length > 1) return `${short.length} articles de votre panier ne sont plus disponibles en quantité suffisante : ajustez les quantités signalées.`;
  const { requested, available } = short[0]!;
  if (available === 0) return 'Cet article est épuisé : retirez-le ou choisissez un autre modèle.';
  return `Il n’en reste que ${available} (vous en demandez ${requested}) : choisissez ${available === 1 ? '1 exemplaire' : `${available} exemplaires au plus`}.`;
}

// Shoppers read these; the API's own messages may be technical, so known codes get ours.
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  invalid_credentials: 'E-mail ou mot de passe incorrect.',
  csrf_failed: 'Votre session a expiré : rechargez la page puis réessayez.',
  cart_empty: 'Votre panier est vide.',
  out_of_stock: 'Un article de votre panier n’est plus disponible en quantité suffisante.',
  rate_limited: 'Trop de tentatives : patientez quelques minutes avant de réessayer.',
  email_taken: 'Un compte existe déjà avec cette adresse e-mail : connectez-vous.',
  invalid_token: 'Ce lien n’est plus valable : demandez-en un nouveau.',
  discount_invalid: 'Ce code de réduction n’est pas valable.',
  price_changed: 'Le total de votre commande a changé : vérifiez le nouveau total avant de payer.',
  invalid_state: 'Cette commande ne peut plus être modifiée.',
  unauthorized: 'Connectez-vous pour accéder à cette page.',
  not_found: 'Élément introuvable.',
  service_unavailable: 'Le service est momentanément indisponible. Merci de réessayer dans un instant.',
  idempotency_conflict: 'Cette demande a déjà été envoyée avec d’autres informations : rechargez la page.',
};

/** A French sentence for a failed call, from its code, status or kind. */
export function frenchMessage(code: string | null, status: number | null, fallback?: string): string {
  // Safe: a code the API adds later simply finds no message here.
  const known = code ? MESSAGES[code as ErrorCode] : undefined;
  if (known) return known;
  if (fallback) return fallback;
  if (status === 429) return MESSAGES.rate_limited!;
  if (status === 401) return MESSAGES.unauthorized!;
  if (status === null || status >= 500) return 'Impossible de joindre la boutique pour le moment. Vérifiez votre connexion et réessayez.';
  return 'La demande n’a pas abouti. Vérifiez les informations saisies et réessayez.';
}
