import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Order } from '@girlycrea/contract';
import type { Invoice } from './invoices.js';

/** French VAT rate of everything the shop sells (DESIGN: prices include 20 % VAT). */
export const VAT_RATE_PERCENT = 20;

/** An amount in cents as French text, e.g. `1 234,50 €` (plain spaces: the PDF's standard fonts lack U+202F). */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${units},${String(abs % 100).padStart(2, '0')} €`;
}

/** A date as dd/mm/yyyy in Paris time. */
export const frenchDate = (iso: string): string => new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

/** The amounts of one invoice row: net of the line's discount share, split HT / TVA / TTC. */
export interface AmountRow {
  label: string;
  sku: string;
  quantity: number;
  ttcCents: number;
  vatCents: number;
  htCents: number;
}

/** The order's lines plus shipping, each split HT / TVA / TTC; they add up to the order's totals. */
export function amountRows(order: Order): AmountRow[] {
  const lines = order.lines.map((line) => {
    const ttc = line.lineTotalCents - line.discountCents;
    return { label: `${line.title} — ${line.variantTitle}`, sku: line.sku, quantity: line.quantity, ttcCents: ttc, vatCents: line.vatCents, htCents: ttc - line.vatCents };
  });
  const linesVat = lines.reduce((sum, line) => sum + line.vatCents, 0);
  if (order.shippingCents === 0) return lines;
  const shippingVat = order.vatCents - linesVat;
  return [
    ...lines,
    { label: `Livraison — ${order.shippingMethod.name}`, sku: 'LIVRAISON', quantity: 1, ttcCents: order.shippingCents, vatCents: shippingVat, htCents: order.shippingCents - shippingVat },
  ];
}

// A top-down writer over A4 pages: each call draws one line and moves down.
function writer(doc: PDFDocument, font: PDFFont, bold: PDFFont) {
  let page: PDFPage = doc.addPage([595.28, 841.89]);
  let y = 800;
  const left = 48;
  return {
    text(value: string, options: { x?: number; size?: number; bold?: boolean; right?: number } = {}) {
      const size = options.size ?? 10;
      const face = options.bold ? bold : font;
      const x = options.right === undefined ? left + (options.x ?? 0) : options.right - face.widthOfTextAtSize(value, size);
      page.drawText(value, { x, y, size, font: face, color: rgb(0.1, 0.1, 0.1) });
    },
    down(lines = 1, size = 10) {
      y -= lines * size * 1.5;
      if (y < 60) {
        page = doc.addPage([595.28, 841.89]);
        y = 800;
      }
    },
  };
}

async function newDocument(title: string) {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setLanguage('fr-FR');
  doc.setProducer('GirlyCrea');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  return { doc, w: writer(doc, font, bold) };
}

const addressLines = (order: Order) => [
  order.shippingAddress.name,
  order.shippingAddress.line1,
  ...(order.shippingAddress.line2 ? [order.shippingAddress.line2] : []),
  `${order.shippingAddress.postalCode} ${order.shippingAddress.city}`,
  order.shippingAddress.country,
];

/** The invoice PDF with the French legal mentions: seller identity, number, dates, VAT per rate, totals. */
export async function renderInvoicePdf(invoice: Invoice, order: Order): Promise<Uint8Array> {
  const { doc, w } = await newDocument(`Facture ${invoice.number}`);
  const { seller } = invoice;
  w.text(seller.name, { size: 14, bold: true });
  w.text(`Facture n° ${invoice.number}`, { size: 14, bold: true, right: 547 });
  w.down();
  for (const line of seller.address.split(/\n|, /)) {
    w.text(line);
    w.down();
  }
  w.text(`SIRET : ${seller.siret}`);
  w.down();
  w.text(/^FR[0-9A-Z]{2}\d{9}$/.test(seller.vatNumber) ? `N° de TVA intracommunautaire : ${seller.vatNumber}` : seller.vatNumber);
  w.down(2);
  w.text(`Date de la facture : ${frenchDate(invoice.issuedAt)}`);
  w.down();
  w.text(`Commande n° ${order.number} du ${frenchDate(order.createdAt)}`);
  w.down();
  if (order.paidAt) {
    w.text(`Date de la vente (paiement) : ${frenchDate(order.paidAt)}`);
    w.down();
  }
  w.down();
  w.text('Facturé à :', { bold: true });
  w.down();
  for (const line of [...addressLines(order), order.email]) {
    w.text(line);
    w.down();
  }
  w.down();
  w.text('Désignation', { bold: true });
  w.text('Qté', { bold: true, right: 330 });
  w.text('HT', { bold: true, right: 400 });
  w.text(`TVA ${VAT_RATE_PERCENT} %`, { bold: true, right: 475 });
  w.text('TTC', { bold: true, right: 547 });
  w.down();
  const rows = amountRows(order);
  for (const row of rows) {
    w.text(row.label.length > 48 ? `${row.label.slice(0, 47)}…` : row.label);
    w.text(String(row.quantity), { right: 330 });
    w.text(euros(row.htCents), { right: 400 });
    w.text(euros(row.vatCents), { right: 475 });
    w.text(euros(row.ttcCents), { right: 547 });
    w.down();
  }
  w.down();
  if (order.discountCents > 0) {
    w.text(`Remise${order.discountCode ? ` (${order.discountCode})` : ''} déjà déduite des lignes : ${euros(order.discountCents)}`);
    w.down();
  }
  const ht = rows.reduce((sum, row) => sum + row.htCents, 0);
  w.text(`Total HT : ${euros(ht)}`, { bold: true, right: 547 });
  w.down();
  w.text(`TVA à ${VAT_RATE_PERCENT} % : ${euros(order.vatCents)}`, { bold: true, right: 547 });
  w.down();
  w.text(`Total TTC : ${euros(order.totalCents)}`, { bold: true, right: 547 });
  w.down(2);
  w.text(`Facture acquittée${order.paidAt ? ` le ${frenchDate(order.paidAt)}` : ''}, paiement par carte bancaire. Pas d’escompte pour paiement anticipé.`, { size: 8 });
  w.down(1, 8);
  w.text('En cas de retard de paiement, pénalités au taux d’intérêt légal majoré de trois fois (art. L441-10 du Code de commerce).', { size: 8 });
  return doc.save();
}

/** The packing slip: address and what to put in the parcel, without prices. */
export async function renderPackingSlipPdf(order: Order): Promise<Uint8Array> {
  const { doc, w } = await newDocument(`Bon de préparation ${order.number}`);
  w.text(`Bon de préparation — commande n° ${order.number}`, { size: 14, bold: true });
  w.down(2);
  w.text(`Livraison : ${order.shippingMethod.name}`);
  w.down(2);
  for (const line of addressLines(order)) {
    w.text(line, { size: 12 });
    w.down(1, 12);
  }
  w.down();
  w.text('Référence', { bold: true });
  w.text('Article', { bold: true, x: 110 });
  w.text('Qté', { bold: true, right: 547 });
  w.down();
  for (const line of order.lines) {
    w.text(line.sku);
    w.text(`${line.title} — ${line.variantTitle}`.slice(0, 60), { x: 110 });
    w.text(String(line.quantity), { right: 547 });
    w.down();
  }
  return doc.save();
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // Quote when needed; a leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const decimal = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** The accountant's CSV (French Excel: `;`, decimal comma, UTF-8 BOM): one line per order line and per shipping charge. */
export function ordersCsv(orders: Order[]): string {
  const header = ['Commande', 'Date', 'Statut', 'Client', 'E-mail', 'Référence', 'Désignation', 'Quantité', 'Taux TVA', 'HT', 'TVA', 'TTC'];
  const lines = orders.flatMap((order) =>
    amountRows(order).map((row) =>
      [
        order.number,
        frenchDate(order.paidAt ?? order.createdAt),
        order.status,
        order.shippingAddress.name,
        order.email,
        row.sku,
        row.label,
        row.quantity,
        `${VAT_RATE_PERCENT} %`,
        decimal(row.htCents),
        decimal(row.vatCents),
        decimal(row.ttcCents),
      ]
        .map(csvCell)
        .join(';'),
    ),
  );
  return `\uFEFF${[header.join(';'), ...lines].join('\r\n')}\r\n`;
}
