/** Where a carrier hands the parcel over. */
export type DeliveryKind = 'home' | 'relay' | 'pickup';

/** A carrier the shop ships with, and what it needs from the customer. */
export interface Carrier {
  id: string;
  name: string;
  kind: DeliveryKind;
  /** Its delivery notices go by phone (SMS or call): checkout asks for a number. */
  requiresPhone: boolean;
}

/** Carriers by the shipping method they deliver (`shipping_methods.id`). */
const CARRIERS: Record<string, Carrier> = {
  colissimo: { id: 'colissimo', name: 'Colissimo', kind: 'home', requiresPhone: true },
  'mondial-relay': { id: 'mondial-relay', name: 'Mondial Relay', kind: 'relay', requiresPhone: true },
  atelier: { id: 'atelier', name: 'Retrait à l’atelier', kind: 'pickup', requiresPhone: false },
};

// A method the shop adds without a carrier here is delivered at home, with no extra question.
const HOME: Omit<Carrier, 'id' | 'name'> = { kind: 'home', requiresPhone: false };

/** The carrier of a shipping method: a known one, or plain home delivery. */
export function carrierOf(shippingMethodId: string): Carrier {
  return CARRIERS[shippingMethodId] ?? { id: shippingMethodId, name: shippingMethodId, ...HOME };
}
