import type { TemplateData, TemplateName } from './schemas.js';

/** Realistic French data for every template (previews and tests); one customer name is hostile on purpose. */
export const SAMPLE_DATA: { [K in TemplateName]: TemplateData[K] } = {
  welcome: { name: 'Zoé Lefèvre', verifyUrl: 'https://girlycrea.fr/compte/verifier-email?token=Qm9uam91ciBaw6lvICE&source=email' },
  email_verification: { name: 'Zoé Lefèvre', verifyUrl: 'https://girlycrea.fr/compte/verifier-email?token=Qm9uam91ciBaw6lvICE', expiresInDays: 7 },
  password_reset: {
    name: 'Zoé Lefèvre',
    resetUrl: 'https://girlycrea.fr/compte/nouveau-mot-de-passe?jeton=3f9c2b7e1a&source=email',
    expiresInMinutes: 60,
  },
  order_confirmation: {
    // A name typed into the checkout form by someone testing us: it must arrive inert.
    name: 'Léa <script>alert("coucou")</script>',
    orderNumber: 'GC-2026-00042',
    lines: [
      {
        title: 'Barrette « Cœur » en résine',
        variantTitle: 'Rose poudré',
        quantity: 2,
        unitPriceCents: 1290,
        lineTotalCents: 2580,
        imageUrl: 'https://girlycrea.fr/api/media/products/barrette-coeur-rose-poudre-1.svg',
      },
      { title: 'Chouchou en velours côtelé', variantTitle: 'Crème', quantity: 1, unitPriceCents: 890, lineTotalCents: 890 },
      { title: 'Coffret cadeau « Été à Biarritz »', quantity: 1, unitPriceCents: 120_000, lineTotalCents: 120_000 },
    ],
    subtotalCents: 123_470,
    discountCents: 1000,
    shippingCents: 490,
    shippingMethod: 'Colissimo à domicile',
    delivery: { title: 'Adresse de livraison', lines: ['8 rue des Tisserands', 'Bâtiment B', '69002 Lyon'], recipient: 'Léa Martin', phone: '+33 6 12 34 56 78' },
    vatCents: 20_493,
    totalCents: 122_960,
    orderUrl: 'https://girlycrea.fr/compte/commandes/GC-2026-00042',
    createdAt: '2026-11-26T09:41:00+01:00',
  },
  payment_failed: { orderNumber: 'GC-2026-00042', retryUrl: 'https://girlycrea.fr/commande/GC-2026-00042/paiement' },
  order_shipped: {
    orderNumber: 'GC-2026-00042',
    carrier: 'Colissimo',
    trackingNumber: '6A12345678901',
    trackingUrl: 'https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901',
  },
  order_refunded: { orderNumber: 'GC-2026-00042', amountCents: 2580, refundedTotalCents: 2580, isFull: false },
};
