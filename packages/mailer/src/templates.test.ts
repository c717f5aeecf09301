import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from './mailer.js';
import { startSmtpSink, type SmtpSink } from './testing.js';
import {
  formatDate,
  formatMoney,
  renderEmail,
  TEMPLATE_NAMES,
  TemplateDataError,
  type TemplateData,
  type TemplateName,
} from './templates/index.js';
import { SAMPLE_DATA } from './templates/samples.js';

// Intl writes U+202F / U+00A0 inside French amounts; compare against plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
const HOSTILE = '<script>alert("pwned")</script> & Cie';
const ESCAPED = '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Cie';
// A tag opener: `<` followed by a letter, `/` or `!`.
const TAG = /<[a-z/!]/i;

const SUBJECTS: { [K in TemplateName]: string } = {
  welcome: 'Bienvenue chez GirlyCrea, Zoé Lefèvre !',
  email_verification: 'Confirmez votre adresse e-mail GirlyCrea',
  password_reset: 'Réinitialisation de votre mot de passe GirlyCrea',
  order_confirmation: 'Confirmation de votre commande n° GC-2026-00042',
  payment_failed: 'Le paiement de votre commande n° GC-2026-00042 n’a pas abouti',
  order_shipped: 'Votre commande n° GC-2026-00042 est en route',
  order_refunded: 'Remboursement de votre commande n° GC-2026-00042',
};

/** Sample data for `template` with every user-supplied text field replaced by hostile markup. */
function hostileData<T extends TemplateName>(template: T): TemplateData[T] {
  const data = structuredClone(SAMPLE_DATA[template]) as Record<string, unknown>;
  for (const key of ['name', 'orderNumber', 'shippingMethod', 'carrier', 'trackingNumber']) {
    if (key in data) data[key] = HOSTILE;
  }
  if (data.delivery) data.delivery = { ...(data.delivery as object), recipient: HOSTILE, lines: [HOSTILE] };
  if (Array.isArray(data.lines)) {
    data.lines = (data.lines as Record<string, unknown>[]).map((line) => ({ ...line, title: HOSTILE, variantTitle: HOSTILE }));
  }
  return data as TemplateData[T];
}

function renderSample<T extends TemplateName>(template: T) {
  return renderEmail(template, SAMPLE_DATA[template]);
}

/** The samples without the hostile customer name, to check the text part is free of tags. */
function renderClean(template: TemplateName) {
  if (template === 'order_confirmation') return renderEmail(template, { ...SAMPLE_DATA.order_confirmation, name: 'Léa Martin' });
  return renderSample(template);
}

describe('email templates', () => {
  it.each(TEMPLATE_NAMES)('%s renders a French subject, an HTML part in the shop frame and a tag-free text part', (template) => {
    const email = renderClean(template);
    expect(email.subject).toBe(SUBJECTS[template]);
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(email.html).toContain('GirlyCrea');
    expect(email.html).toContain('L’équipe GirlyCrea');
    expect(email.text).toContain('L’équipe GirlyCrea');
    // No fonts, stylesheets or decoration to fetch; the only images are the order's product thumbnails.
    const withoutThumbnails = email.html.replace(/<img src="https:\/\/girlycrea\.fr\/api\/media\/[^"]+" width="56" height="56" alt="" [^>]*>/g, '');
    expect(withoutThumbnails).not.toMatch(/<img|<link|<script|@import|url\(|src=/i);
    expect(email.text).not.toMatch(TAG);
  });

  it('order lines show the product’s thumbnail when the order gives one, and nothing in its place otherwise', () => {
    const { html } = renderSample('order_confirmation');
    const images = html.match(/<img [^>]*>/g) ?? [];
    expect(images).toHaveLength(SAMPLE_DATA.order_confirmation.lines.filter((line) => line.imageUrl).length);
    expect(images[0]).toContain('src="https://girlycrea.fr/api/media/products/barrette-coeur-rose-poudre-1.svg"');
  });

  it.each(TEMPLATE_NAMES)('%s escapes every user-supplied string in the HTML part and keeps it plain in the text part', (template) => {
    const email = renderEmail(template, hostileData(template));
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain(ESCAPED);
    expect(email.text).toContain(HOSTILE);
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('escapes quotes and ampersands inside links so a URL cannot break out of its href', () => {
    const email = renderEmail('password_reset', {
      name: 'Zoé',
      resetUrl: 'https://girlycrea.fr/reset?jeton=a1&x="><b>gras</b>',
      expiresInMinutes: 30,
    });
    expect(email.html).toContain('href="https://girlycrea.fr/reset?jeton=a1&amp;x=&quot;&gt;&lt;b&gt;gras&lt;/b&gt;"');
    expect(email.html).not.toContain('<b>gras');
    expect(email.text).toContain('Ce lien est valable 30 minutes');
  });

  it('formats money as French euros and dates in French for Paris, across the UTC midnight boundary', () => {
    expect(plain(formatMoney(123_456))).toBe('1 234,56 €');
    expect(plain(formatMoney(5))).toBe('0,05 €');
    expect(formatDate('2026-11-26T09:41:00+01:00')).toBe('26 novembre 2026');
    // 23:30 UTC on the 25th is already the 26th in Paris.
    expect(formatDate('2026-11-25T23:30:00Z')).toBe('26 novembre 2026');
    expect(formatDate('2026-08-01T12:00:00Z')).toBe('1 août 2026');
  });

  it('shows every order line, the discount, shipping, total and VAT in the confirmation', () => {
    const { html, text } = renderSample('order_confirmation');
    for (const part of [plain(html), plain(text)]) {
      expect(part).toContain('Barrette « Cœur » en résine');
      expect(part).toContain('Rose poudré');
      expect(part).toContain('2 × 12,90 €');
      expect(part).toContain('1 200,00 €');
      expect(part).toContain('1 234,70 €');
      expect(part).toContain('-10,00 €');
      expect(part).toContain('Colissimo à domicile');
      expect(part).toContain('1 229,60 €');
      expect(part).toContain('204,93 €');
      expect(part).toContain('26 novembre 2026');
      expect(part).toContain('https://girlycrea.fr/compte/commandes/GC-2026-00042');
    }
    const free = renderEmail('order_confirmation', { ...SAMPLE_DATA.order_confirmation, shippingCents: 0, totalCents: 122_470 });
    expect(free.text).toContain('Livraison (Colissimo à domicile) : Offerte');
    const noDiscount = renderEmail('order_confirmation', { ...SAMPLE_DATA.order_confirmation, discountCents: 0, totalCents: 123_960 });
    expect(noDiscount.text).not.toContain('Remise');
  });

  it('shows where the order goes: the address and phone, or the relay point with its opening hours', () => {
    const home = renderSample('order_confirmation');
    for (const part of [home.html, home.text]) {
      expect(part).toContain('Adresse de livraison');
      expect(part).toContain('8 rue des Tisserands');
      expect(part).toContain('Téléphone : +33 6 12 34 56 78');
      expect(part).not.toContain('Horaires');
    }
    const relay = renderEmail('order_confirmation', {
      ...SAMPLE_DATA.order_confirmation,
      shippingMethod: 'Mondial Relay en point relais',
      delivery: {
        title: 'Point relais Mondial Relay',
        lines: ['Tabac-Presse Le Balto', '12 rue de la République', '69002 Lyon'],
        recipient: 'Léa Martin',
        phone: '+33 6 12 34 56 78',
        hours: ['Lundi : 09:30–12:30, 14:00–19:00', 'Dimanche : fermé'],
      },
    });
    for (const part of [relay.html, relay.text]) {
      expect(part).toContain('Point relais Mondial Relay');
      expect(part).toContain('Tabac-Presse Le Balto');
      expect(part).toContain('Horaires d’ouverture');
      expect(part).toContain('Lundi : 09:30–12:30, 14:00–19:00');
      expect(part).toContain('Dimanche : fermé');
    }
  });

  it('greets without a name when the order has none, and omits the tracking button without a tracking URL', () => {
    const { name: _name, ...anonymous } = SAMPLE_DATA.order_confirmation;
    expect(renderEmail('order_confirmation', anonymous).text).toMatch(/^Bonjour,\n/);
    const { trackingUrl: _url, ...untracked } = SAMPLE_DATA.order_shipped;
    const shipped = renderEmail('order_shipped', untracked);
    expect(shipped.html).not.toContain('Suivre mon colis');
    expect(shipped.text).toContain('Numéro de suivi : 6A12345678901');
  });

  it('a refund says the amount given back, and whether it was partial (with the total so far) or the whole order', () => {
    const partial = renderEmail('order_refunded', { orderNumber: 'GC-2026-00042', amountCents: 1250, refundedTotalCents: 3750, isFull: false });
    expect(plain(partial.text)).toContain('Nous venons de vous rembourser 12,50 € pour la commande n° GC-2026-00042.');
    expect(plain(partial.text)).toContain('Remboursement partiel : 37,50 € remboursés au total sur cette commande.');
    const full = renderEmail('order_refunded', { orderNumber: 'GC-2026-00042', amountCents: 6000, refundedTotalCents: 6000, isFull: true });
    expect(plain(full.html)).toContain('<strong>60,00 €</strong>');
    expect(full.text).toContain('Votre commande est désormais entièrement remboursée.');
    expect(full.text).not.toContain('partiel');
  });

  it.each<[string, TemplateName, unknown]>([
    ['a javascript: link', 'password_reset', { ...SAMPLE_DATA.password_reset, resetUrl: 'javascript:alert(1)' }],
    ['totals that do not add up', 'order_confirmation', { ...SAMPLE_DATA.order_confirmation, totalCents: 1 }],
    ['a fractional amount', 'order_confirmation', { ...SAMPLE_DATA.order_confirmation, shippingCents: 4.9 }],
    ['an order without lines', 'order_confirmation', { ...SAMPLE_DATA.order_confirmation, lines: [] }],
    ['a date that is not ISO', 'order_confirmation', { ...SAMPLE_DATA.order_confirmation, createdAt: '26/11/2026' }],
    ['an unknown field', 'welcome', { name: 'Zoé', admin: true }],
    ['a missing field', 'order_shipped', { orderNumber: 'GC-1' }],
    ['a refund larger than all refunds together', 'order_refunded', { orderNumber: 'GC-1', amountCents: 500, refundedTotalCents: 400, isFull: false }],
    ['a line break in a name', 'welcome', { name: 'Zoé\r\nBcc: tous@exemple.fr' }],
    ['an empty name', 'welcome', { name: '   ' }],
  ])('refuses %s with TemplateDataError naming the field', (_case, template, data) => {
    expect(() => renderEmail(template, data as never)).toThrow(TemplateDataError);
  });
});

describe('email templates over a real SMTP round trip', () => {
  let sink: SmtpSink;
  let mailer: Mailer;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createMailer({ smtpUrl: sink.url, from: 'GirlyCrea <contact@girlycrea.fr>' });
  });

  afterAll(async () => {
    await mailer?.close();
    await sink?.stop();
  });

  it.each(TEMPLATE_NAMES)('%s arrives with its subject, both parts, no attachment and intact accents', async (template) => {
    const email = renderSample(template);
    const messageId = `<${template}-${Date.now()}@girlycrea.fr>`;
    const result = await mailer.send({ ...email, to: 'zoe.client@exemple.fr', messageId });
    expect(result.response).toMatch(/^250 /);

    const received = sink.received.find((mail) => mail.messageId === messageId);
    expect(received).toBeDefined();
    const parsed = await simpleParser(received!.raw);
    expect(parsed.subject).toBe(email.subject);
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.from?.value).toEqual([{ name: 'GirlyCrea', address: 'contact@girlycrea.fr' }]);
    expect(parsed.html).toBe(email.html);
    expect(parsed.text?.trim()).toBe(email.text.trim());
    expect(parsed.text).toContain('L’équipe GirlyCrea');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });
});
