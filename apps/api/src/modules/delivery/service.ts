import type { Config } from '../../config.js';
import { AppError } from '../../http/errors.js';
import type { RelayPoint, RelayPointQuery, ShippingAddress } from '@girlycrea/contract';
import { carrierOf, type Carrier } from './carriers.js';
import { createMondialRelayFinder } from './mondial-relay.js';
import { normalisePhone } from './phone.js';
import { createStandInRelayPoints, RelayPointsUnavailableError, type RelayPointFinder } from './relay-points.js';

/** The configuration keys that choose where relay points come from. */
export type DeliveryConfig = Pick<Config, 'NODE_ENV'> &
  Partial<Pick<Config, 'MONDIAL_RELAY_ENSEIGNE' | 'MONDIAL_RELAY_PRIVATE_KEY' | 'MONDIAL_RELAY_API_URL'>>;

/** What delivery needs: where relay points come from (null: no relay delivery offered). */
export interface DeliveryDeps {
  relayPoints: RelayPointFinder | null;
}

/**
 * Mondial Relay's web service when its credentials are set; otherwise the local stand-in outside
 * production, and nothing in production (relay delivery is then not offered rather than fake).
 */
export function createRelayPointFinder(config: DeliveryConfig): RelayPointFinder | null {
  if (config.MONDIAL_RELAY_ENSEIGNE && config.MONDIAL_RELAY_PRIVATE_KEY) {
    return createMondialRelayFinder({
      enseigne: config.MONDIAL_RELAY_ENSEIGNE,
      privateKey: config.MONDIAL_RELAY_PRIVATE_KEY,
      ...(config.MONDIAL_RELAY_API_URL ? { url: config.MONDIAL_RELAY_API_URL } : {}),
    });
  }
  return config.NODE_ENV === 'production' ? null : createStandInRelayPoints();
}

/** Whether a shipping method can be chosen here (a relay method needs a source of relay points). */
export const isOffered = (deps: DeliveryDeps, shippingMethodId: string): boolean => carrierOf(shippingMethodId).kind !== 'relay' || deps.relayPoints !== null;

const RELAY_UNAVAILABLE = 'La recherche de points relais est momentanément indisponible : réessayez dans un instant ou choisissez un autre mode de livraison.';

async function askCarrier<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RelayPointsUnavailableError) throw new AppError('service_unavailable', RELAY_UNAVAILABLE);
    throw error;
  }
}

/** Relay points near a postal code (at most 10); 503 when the carrier cannot answer. */
export async function searchRelayPoints(deps: DeliveryDeps, query: RelayPointQuery): Promise<RelayPoint[]> {
  const finder = deps.relayPoints;
  if (!finder) throw new AppError('not_found', 'La livraison en point relais n’est pas proposée.');
  return askCarrier(() => finder.search({ ...query, limit: 10 }));
}

const invalid = (path: string, message: string, summary: string) => new AppError('invalid_request', summary, { details: [{ path, message }] });

/** The delivery of a new order: the address (with its phone as carriers take it) and the relay point, checked. */
export interface Delivery {
  carrier: Carrier;
  shippingAddress: ShippingAddress;
  relayPoint: RelayPoint | null;
}

/**
 * Checks what the carrier of `shippingMethodId` needs before an order is placed: a valid phone
 * (French, or international abroad) when it sends notices, and for relay delivery a point the
 * carrier knows — read from the carrier, never from the client, and kept on the order as read.
 */
export async function resolveDelivery(
  deps: DeliveryDeps,
  input: { shippingMethodId: string; shippingAddress: ShippingAddress & { phone?: string | undefined }; relayPointId?: string | undefined },
): Promise<Delivery> {
  const carrier = carrierOf(input.shippingMethodId);
  const { phone, ...address } = input.shippingAddress;
  let normalised: string | null = null;
  if (phone) {
    normalised = normalisePhone(phone, address.country);
    if (!normalised) {
      const expected = address.country === 'FR' ? 'numéro français attendu, par exemple 06 12 34 56 78' : 'numéro international attendu, par exemple +32 470 12 34 56';
      throw invalid('shippingAddress.phone', expected, 'Numéro de téléphone invalide.');
    }
  } else if (carrier.requiresPhone) {
    throw invalid('shippingAddress.phone', `obligatoire pour les avis de livraison ${carrier.name}`, 'Indiquez un numéro de téléphone.');
  }
  const shippingAddress = { ...address, ...(normalised ? { phone: normalised } : {}) };
  if (carrier.kind !== 'relay') return { carrier, shippingAddress, relayPoint: null };

  const finder = deps.relayPoints;
  if (!finder) throw invalid('shippingMethodId', 'mode de livraison indisponible', 'La livraison en point relais n’est pas proposée.');
  if (!input.relayPointId) throw invalid('relayPointId', 'choisissez un point relais', 'Choisissez un point relais.');
  const id = input.relayPointId;
  const relayPoint = await askCarrier(() => finder.find({ id, country: address.country }));
  if (!relayPoint) throw invalid('relayPointId', 'point relais inconnu ou fermé', 'Ce point relais n’est plus disponible : choisissez-en un autre.');
  return { carrier, shippingAddress, relayPoint };
}
