import type { Order } from '@girlycrea/contract';
import { formatPhone } from '../../lib/api/delivery';
import { OpeningHours, relayAddress } from './relay-point-picker';

const COUNTRY_NAMES: Record<string, string> = { FR: 'France', BE: 'Belgique', LU: 'Luxembourg', MC: 'Monaco', CH: 'Suisse' };

/** Where an order goes: the relay point with its hours, or the delivery address; the recipient and phone. */
export function DeliveryDetails({ order }: { order: Order }) {
  const address = order.shippingAddress;
  const point = order.relayPoint;
  const pickup = order.shippingMethod.id === 'atelier';
  return (
    <section className="panel delivery-details" aria-labelledby="titre-livraison">
      <h2 id="titre-livraison" className="panel__title">
        {point ? 'Livraison en point relais' : pickup ? 'Retrait à l’atelier' : 'Adresse de livraison'}
      </h2>
      <p>{order.shippingMethod.name}</p>
      {point ? (
        <>
          <address>
            <strong>{point.name}</strong>
            <br />
            {relayAddress(point)}
          </address>
          <p>
            Pour : {address.name}
            {address.phone && <> · Téléphone : {formatPhone(address.phone)}</>}
          </p>
          <div className="delivery-details__hours">
            <p>
              <strong>Horaires d’ouverture</strong>
            </p>
            <OpeningHours point={point} />
          </div>
        </>
      ) : (
        <address>
          {address.name}
          {!pickup && (
            <>
              <br />
              {address.line1}
              {address.line2 && (
                <>
                  <br />
                  {address.line2}
                </>
              )}
              <br />
              {address.postalCode} {address.city}
              {address.country !== 'FR' && (
                <>
                  <br />
                  {COUNTRY_NAMES[address.country] ?? address.country}
                </>
              )}
            </>
          )}
          {address.phone && (
            <>
              <br />
              Téléphone : {formatPhone(address.phone)}
            </>
          )}
        </address>
      )}
    </section>
  );
}
