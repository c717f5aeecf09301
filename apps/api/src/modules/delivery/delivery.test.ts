import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import supertest from 'supertest';
import { buildApp, type TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, useShopTest, type VariantPicker } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

async function cartOfOne() {
  const [variant] = await pick(1, 5);
  const browser = await openBrowser(t.app);
  await addToCart(browser, variant!.id, 1);
  return browser;
}

const relayCheckout = (overrides: Record<string, unknown> = {}) =>
  checkoutBody({ email: `${uniqueLabel('relais')}@exemple.fr`, shippingMethodId: 'mondial-relay', ...overrides });

describe('delivery', () => {
  it('lists each shipping method with where it delivers and whether its carrier needs a phone', async () => {
    const res = await t.http.get('/api/shipping-methods');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ id: 'colissimo', kind: 'home', requiresPhone: true }),
      expect.objectContaining({ id: 'mondial-relay', kind: 'relay', requiresPhone: true }),
      expect.objectContaining({ id: 'atelier', kind: 'pickup', requiresPhone: false }),
    ]);
  });

  it('finds relay points by postal code with their address and a week of opening hours, and refuses a bad postal code with 400', async () => {
    const res = await t.http.get('/api/relay-points?postalCode=69003');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    const [first] = res.body.items;
    expect(first).toMatchObject({ id: '690030', name: expect.any(String), line1: expect.any(String), postalCode: '69003', country: 'FR' });
    expect(first.openingHours.map((d: { day: string }) => d.day)).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
    expect(first.openingHours[0].periods[0]).toEqual({ opens: expect.stringMatching(/^\d\d:\d\d$/), closes: expect.stringMatching(/^\d\d:\d\d$/) });
    expect((await t.http.get('/api/relay-points?postalCode=00000')).body.items).toEqual([]);
    const bad = await t.http.get('/api/relay-points?postalCode=%3Cscript%3E');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('postalCode');
  });

  it('keeps the chosen relay point on the order, shows it to the customer and puts it with its hours in the confirmation e-mail', async () => {
    const point = (await t.http.get('/api/relay-points?postalCode=75011')).body.items[2];
    const browser = await cartOfOne();
    const body = relayCheckout({ relayPointId: point.id });
    const res = await postCheckout(browser, uniqueLabel('cle'), body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.order.relayPoint).toEqual(point);
    expect(res.body.order.shippingAddress.phone).toBe('+33612345678');
    expect(res.body.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const seen = await t.http.get(`/api/orders/${res.body.order.id}?token=${res.body.accessToken}`);
    expect(seen.status).toBe(200);
    expect(seen.body.relayPoint).toEqual(point);

    // The confirmation goes out once the order is paid.
    expect(await emailsTo(t.db, body.email as string)).toEqual([]);
    const paid = await browser.agent
      .post(`/api/payments/test/${res.body.order.id}/confirm`)
      .set('X-CSRF-Token', browser.csrf)
      .set('Idempotency-Key', uniqueLabel('paiement'))
      .send({ outcome: 'succeed' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const [mail] = await emailsTo(t.db, body.email as string);
    expect(mail!.data.delivery).toEqual({
      title: 'Point relais Mondial Relay',
      lines: [point.name, point.line1, `75011 ${point.city}`],
      recipient: 'Léa Martin',
      phone: '+33 6 12 34 56 78',
      hours: expect.arrayContaining([expect.stringMatching(/^Lundi : /), expect.stringMatching(/^Dimanche : fermé$/)]),
    });
  });

  it('refuses a relay order without a point or with a point the carrier does not know, creating nothing', async () => {
    const browser = await cartOfOne();
    const missing = await postCheckout(browser, uniqueLabel('cle'), relayCheckout());
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: 'relayPointId', message: 'choisissez un point relais' }]);
    const unknown = await postCheckout(browser, uniqueLabel('cle'), relayCheckout({ relayPointId: '000001' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('relayPointId');
    expect((await browser.agent.get('/api/cart')).body.items).toHaveLength(1);
  });

  it('asks home delivery for a French phone number, and keeps it on the order in international form', async () => {
    const browser = await cartOfOne();
    const address = checkoutBody().shippingAddress;
    const { phone: _phone, ...withoutPhone } = address;
    const missing = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ shippingAddress: withoutPhone }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: 'shippingAddress.phone', message: 'obligatoire pour les avis de livraison Colissimo' }]);
    const foreign = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ shippingAddress: { ...address, phone: '12 34 56' } }));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0]).toEqual({ path: 'shippingAddress.phone', message: 'numéro français attendu, par exemple 06 12 34 56 78' });

    const ok = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ shippingAddress: { ...address, phone: '+33 (0)7 98 76 54 32' } }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.order.shippingAddress).toMatchObject({ line1: '12 rue des Lilas', phone: '+33798765432' });
    expect(ok.body.order.relayPoint).toBeUndefined();
  });

  it('lets a workshop pickup go without a phone', async () => {
    const browser = await cartOfOne();
    const { phone: _phone, ...withoutPhone } = checkoutBody().shippingAddress;
    const res = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ shippingMethodId: 'atelier', shippingAddress: withoutPhone }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

// Mondial Relay's SOAP web service, served locally: checks the request's Security hash as the real one does.
const ENSEIGNE = 'BDTEST13';
const PRIVATE_KEY = 'PrivateK';
const hours = (...values: string[]) => values.map((v) => `<string>${v}</string>`).join('');
const DETAIL = `<PointRelais_Details><STAT>0</STAT><Num>020153</Num><LgAdr1>LAVERIE DU MARCHE</LgAdr1><LgAdr2></LgAdr2>
<LgAdr3>4 RUE DES ARTS</LgAdr3><LgAdr4></LgAdr4><CP>69003</CP><Ville>LYON</Ville><Pays>FR</Pays>
<Horaires_Lundi>${hours('0900', '1200', '1400', '1900')}</Horaires_Lundi><Horaires_Mardi>${hours('0900', '1900', '0000', '0000')}</Horaires_Mardi>
<Horaires_Mercredi>${hours('0900', '1900', '0000', '0000')}</Horaires_Mercredi><Horaires_Jeudi>${hours('0900', '1900', '0000', '0000')}</Horaires_Jeudi>
<Horaires_Vendredi>${hours('0900', '1900', '0000', '0000')}</Horaires_Vendredi><Horaires_Samedi>${hours('1000', '1230', '0000', '0000')}</Horaires_Samedi>
<Horaires_Dimanche>${hours('0000', '0000', '0000', '0000')}</Horaires_Dimanche><Distance>420</Distance></PointRelais_Details>`;

function soapAnswer(result: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<WSI4_PointRelais_RechercheResponse xmlns="http://www.mondialrelay.fr/webservice/"><WSI4_PointRelais_RechercheResult>${result}</WSI4_PointRelais_RechercheResult></WSI4_PointRelais_RechercheResponse></soap:Body></soap:Envelope>`;
}

describe('Mondial Relay web service', () => {
  let server: Server;
  let url: string;
  const calls: { action: string | undefined; fields: Map<string, string> }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const fields = new Map([...body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1]!, m[2]!]));
        calls.push({ action: req.headers.soapaction as string | undefined, fields });
        const order = ['Enseigne', 'Pays', 'NumPointRelais', 'Ville', 'CP', 'Latitude', 'Longitude', 'Taille', 'Poids', 'Action', 'DelaiEnvoi', 'RayonRecherche', 'TypeActivite', 'NACE', 'NombreResultats'];
        const expected = createHash('md5').update(order.map((name) => fields.get(name) ?? '').join('') + PRIVATE_KEY).digest('hex').toUpperCase();
        res.setHeader('content-type', 'text/xml; charset=utf-8');
        if (fields.get('Security') !== expected) return res.end(soapAnswer('<STAT>97</STAT>'));
        if (fields.get('CP') === '99999') return res.end(soapAnswer('<STAT>35</STAT>'));
        res.end(soapAnswer(`<STAT>0</STAT><PointsRelais>${DETAIL}</PointsRelais>`));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Web_Services.asmx`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const appWith = (privateKey: string, apiUrl = url) =>
    buildApp({ db: t.db, cache: t.cache, config: { MONDIAL_RELAY_ENSEIGNE: ENSEIGNE, MONDIAL_RELAY_PRIVATE_KEY: privateKey, MONDIAL_RELAY_API_URL: apiUrl } });
  const get = (path: string, privateKey = PRIVATE_KEY, apiUrl = url) => supertest(appWith(privateKey, apiUrl)).get(path);

  it('searches points with a signed SOAP request and reads their address, hours and distance', async () => {
    const res = await get('/api/relay-points?postalCode=69003');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: '020153',
        name: 'LAVERIE DU MARCHE',
        line1: '4 RUE DES ARTS',
        postalCode: '69003',
        city: 'LYON',
        country: 'FR',
        distanceMeters: 420,
        openingHours: [
          { day: 'monday', periods: [{ opens: '09:00', closes: '12:00' }, { opens: '14:00', closes: '19:00' }] },
          { day: 'tuesday', periods: [{ opens: '09:00', closes: '19:00' }] },
          { day: 'wednesday', periods: [{ opens: '09:00', closes: '19:00' }] },
          { day: 'thursday', periods: [{ opens: '09:00', closes: '19:00' }] },
          { day: 'friday', periods: [{ opens: '09:00', closes: '19:00' }] },
          { day: 'saturday', periods: [{ opens: '10:00', closes: '12:30' }] },
          { day: 'sunday', periods: [] },
        ],
      },
    ]);
    const call = calls.at(-1)!;
    expect(call.action).toBe('"http://www.mondialrelay.fr/webservice/WSI4_PointRelais_Recherche"');
    expect(call.fields.get('Enseigne')).toBe(ENSEIGNE);
    expect(call.fields.get('CP')).toBe('69003');
    expect((await get('/api/relay-points?postalCode=99999')).body.items).toEqual([]);
  });

  it('answers 503 with a French message when the service refuses the credentials or cannot be reached', async () => {
    const refused = await get('/api/relay-points?postalCode=69003', 'WrongKey');
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringContaining('points relais') });
    const down = await get('/api/relay-points?postalCode=69003', PRIVATE_KEY, 'http://127.0.0.1:9/Web_Services.asmx');
    expect(down.status).toBe(503);
  });

  it('checks the chosen point with the carrier at checkout: a point it knows is kept, one it does not know is refused', async () => {
    const app = appWith(PRIVATE_KEY);
    const [variant] = await pick(1, 5);
    const browser = await openBrowser(app);
    await addToCart(browser, variant!.id, 1);
    const unknown = await postCheckout(browser, uniqueLabel('cle'), relayCheckout({ relayPointId: '999999' }));
    expect(unknown.status).toBe(400);
    const res = await postCheckout(browser, uniqueLabel('cle'), relayCheckout({ relayPointId: '020153' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.order.relayPoint).toMatchObject({ id: '020153', name: 'LAVERIE DU MARCHE', city: 'LYON' });
    expect(calls.at(-1)!.fields.get('NumPointRelais')).toBe('020153');
  });
});
