import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { RelayPointsUnavailableError, type RelayPointFinder } from './relay-points.js';
import { WEEK_DAYS, type RelayPoint } from '@girlycrea/contract';

/** Mondial Relay's SOAP endpoint (WSI4_PointRelais_Recherche). */
export const MONDIAL_RELAY_API_URL = 'https://api.mondialrelay.com/Web_Services.asmx';
const NAMESPACE = 'http://www.mondialrelay.fr/webservice/';
const OPERATION = 'WSI4_PointRelais_Recherche';
const TIMEOUT_MS = 8000;

/** Credentials and endpoint of the Mondial Relay account (the shop's "enseigne"). */
export interface MondialRelayOptions {
  enseigne: string;
  privateKey: string;
  /** Default: Mondial Relay's endpoint; tests point it at a local stand-in. */
  url?: string;
}

const DAY_TAGS: Record<(typeof WEEK_DAYS)[number], string> = {
  monday: 'Horaires_Lundi',
  tuesday: 'Horaires_Mardi',
  wednesday: 'Horaires_Mercredi',
  thursday: 'Horaires_Jeudi',
  friday: 'Horaires_Vendredi',
  saturday: 'Horaires_Samedi',
  sunday: 'Horaires_Dimanche',
};

const escapeXml = (value: string) => value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The request's parameters in the web service's order. Its `Security` is the upper-case MD5 of
 * every parameter's value in that order followed by the private key.
 */
function requestParams(options: MondialRelayOptions, query: { country: string; id?: string; postalCode?: string; limit: number }): [string, string][] {
  const params: [string, string][] = [
    ['Enseigne', options.enseigne],
    ['Pays', query.country],
    ['NumPointRelais', query.id ?? ''],
    ['Ville', ''],
    ['CP', query.postalCode ?? ''],
    ['Latitude', ''],
    ['Longitude', ''],
    ['Taille', ''],
    ['Poids', ''],
    ['Action', ''],
    ['DelaiEnvoi', ''],
    ['RayonRecherche', ''],
    ['TypeActivite', ''],
    ['NACE', ''],
    ['NombreResultats', String(query.limit)],
  ];
  const security = createHash('md5').update(params.map(([, value]) => value).join('') + options.privateKey, 'utf8').digest('hex').toUpperCase();
  return [...params, ['Security', security]];
}

/** The SOAP envelope of a point search. */
export function searchEnvelope(params: [string, string][]): string {
  const fields = params.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><${OPERATION} xmlns="${NAMESPACE}">${fields}</${OPERATION}></soap:Body></soap:Envelope>`;
}

type Detail = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const time = (hhmm: string) => `${hhmm.slice(0, 2)}:${hhmm.slice(2, 4)}`;

// Each day is four HHMM values: morning open/close, afternoon open/close; "0000" pairs are unused.
function hoursOf(detail: Detail): RelayPoint['openingHours'] {
  return WEEK_DAYS.map((day) => {
    const values = ((detail[DAY_TAGS[day]] as { string?: unknown[] } | undefined)?.string ?? []).map(text);
    const periods: { opens: string; closes: string }[] = [];
    for (let i = 0; i + 1 < values.length; i += 2) {
      const [opens, closes] = [values[i]!, values[i + 1]!];
      if (/^\d{4}$/.test(opens) && /^\d{4}$/.test(closes) && opens !== closes) periods.push({ opens: time(opens), closes: time(closes) });
    }
    return { day, periods };
  });
}

function toRelayPoint(detail: Detail): RelayPoint {
  const distance = Number.parseInt(text(detail.Distance), 10);
  return {
    id: text(detail.Num),
    name: [text(detail.LgAdr1), text(detail.LgAdr2)].filter(Boolean).join(' ') || text(detail.Num),
    line1: text(detail.LgAdr3),
    ...(text(detail.LgAdr4) ? { line2: text(detail.LgAdr4) } : {}),
    postalCode: text(detail.CP),
    city: text(detail.Ville),
    country: text(detail.Pays).toUpperCase(),
    openingHours: hoursOf(detail),
    ...(Number.isFinite(distance) && distance >= 0 ? { distanceMeters: distance } : {}),
  };
}

/** STAT codes meaning "nothing found" rather than a fault (unknown point or postal code). */
const NOT_FOUND_STATS = new Set(['20', '21', '22', '23', '24', '35', '36', '37', '38', '39', '44', '45', '80']);

/** Relay points from Mondial Relay's web service (WSI4_PointRelais_Recherche). */
export function createMondialRelayFinder(options: MondialRelayOptions): RelayPointFinder {
  const url = options.url ?? MONDIAL_RELAY_API_URL;
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => name === 'PointRelais_Details' || name === 'string',
  });

  async function call(query: { country: string; id?: string; postalCode?: string; limit: number }): Promise<RelayPoint[]> {
    let body: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NAMESPACE}${OPERATION}"` },
        body: searchEnvelope(requestParams(options, query)),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      body = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw new RelayPointsUnavailableError(`Mondial Relay injoignable (${(error as Error).message})`, { cause: error });
    }
    const result = (parser.parse(body) as { Envelope?: { Body?: Record<string, { [key: string]: Detail | undefined }> } }).Envelope?.Body?.[
      `${OPERATION}Response`
    ]?.[`${OPERATION}Result`];
    const stat = text(result?.STAT);
    if (NOT_FOUND_STATS.has(stat)) return [];
    if (stat !== '0') throw new RelayPointsUnavailableError(`Mondial Relay a répondu STAT=${stat || '(absent)'}`);
    const details = (result?.PointsRelais as { PointRelais_Details?: Detail[] } | undefined)?.PointRelais_Details ?? [];
    return details.map(toRelayPoint).filter((point) => point.id && point.line1 && point.postalCode && point.city);
  }

  return {
    source: 'mondial-relay',
    search: ({ postalCode, country, limit }) => call({ postalCode, country, limit }),
    async find({ id, country }) {
      return (await call({ id, country, limit: 1 })).find((point) => point.id === id) ?? null;
    },
  };
}
