'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RelayPoint } from '@girlycrea/contract';
import { shop } from '../../lib/api/client';
import { formatDistance, openingDay } from '../../lib/api/delivery';

/** Where a relay point is, on one line. */
export function relayAddress(point: RelayPoint): string {
  return [point.line1, point.line2, `${point.postalCode} ${point.city}`].filter(Boolean).join(', ');
}

/** A relay point's week, one row a day. */
export function OpeningHours({ point }: { point: RelayPoint }) {
  return (
    <dl className="opening-hours">
      {point.openingHours.map((day) => {
        const { name, hours } = openingDay(day);
        return (
          <div key={day.day}>
            <dt>{name}</dt>
            <dd>{hours}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/**
 * Relay-point picker: a postal-code search (Enter or the button), then the points as radio buttons
 * (arrow keys move between them), each with its address, distance and opening hours. The number
 * of points found is announced to screen readers.
 */
export function RelayPointPicker({
  postalCode,
  value,
  onChange,
  error,
}: {
  postalCode: string;
  value: RelayPoint | null;
  onChange: (point: RelayPoint | null) => void;
  error?: string | undefined;
}) {
  const [query, setQuery] = useState(postalCode);
  const [points, setPoints] = useState<RelayPoint[] | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const searched = useRef(false);

  async function search(code = query.trim()) {
    if (!/^\d{5}$/.test(code)) {
      setPoints(null);
      return setStatus('Indiquez un code postal à 5 chiffres pour trouver les points relais.');
    }
    searched.current = true;
    setBusy(true);
    setStatus('Recherche des points relais…');
    const result = await shop.searchRelayPoints(code);
    setBusy(false);
    if (!result.ok) {
      setPoints(null);
      return setStatus(result.message);
    }
    setPoints(result.data);
    setStatus(result.data.length === 0 ? `Aucun point relais trouvé près de ${code}.` : `${result.data.length} points relais près de ${code}.`);
    if (value && !result.data.some((point) => point.id === value.id)) onChange(null);
  }

  // The customer's postal code, once typed, gives a first list without asking.
  useEffect(() => {
    if (!searched.current && /^\d{5}$/.test(postalCode.trim())) {
      setQuery(postalCode.trim());
      void search(postalCode.trim());
    }
    // Only the postal code of the address starts a search; `search` reads the latest state.
  }, [postalCode]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // Enter searches here instead of submitting the checkout.
    if (event.key === 'Enter') {
      event.preventDefault();
      void search();
    }
  }

  const errorId = error ? 'champ-relayPointId-erreur' : undefined;
  return (
    <div className="relay-picker">
      <div className={error ? 'field field--error' : 'field'}>
        <label htmlFor="champ-relayPointId">Code postal du point relais</label>
        <div className="inline-field">
          <input
            id="champ-relayPointId"
            name="relay-postal-code"
            inputMode="numeric"
            autoComplete="off"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={onKeyDown}
            aria-invalid={error ? true : undefined}
            aria-describedby={errorId}
          />
          <button type="button" className="button button--ghost" onClick={() => void search()} disabled={busy}>
            Rechercher
          </button>
        </div>
        {error && (
          <p id={errorId} className="field__error">
            {error}
          </p>
        )}
      </div>
      <p role="status" className="relay-picker__status">
        {status}
      </p>
      {points && points.length > 0 && (
        <fieldset className="relay-picker__list">
          <legend className="visually-hidden">Points relais proposés</legend>
          {points.map((point) => (
            <div key={point.id} className={value?.id === point.id ? 'relay-point relay-point--chosen' : 'relay-point'}>
              <label className="relay-point__choice">
                <input type="radio" name="point-relais" value={point.id} checked={value?.id === point.id} onChange={() => onChange(point)} />
                <span>
                  <span className="relay-point__name">{point.name}</span>
                  <span className="relay-point__address">{relayAddress(point)}</span>
                  {point.distanceMeters != null && <span className="relay-point__distance">à {formatDistance(point.distanceMeters)}</span>}
                </span>
              </label>
              <details className="relay-point__hours">
                <summary>Horaires d’ouverture</summary>
                <OpeningHours point={point} />
              </details>
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}
