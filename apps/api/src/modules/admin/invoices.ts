import { maybeOne, one, withTransaction, type Pool, type Tx } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { Order } from '@girlycrea/contract';
import * as orders from '../orders/service.js';
import { recordAudit, type Actor } from './audit.js';

/** The seller's identity printed on invoices (French legal mentions), from configuration. */
export interface Seller {
  name: string;
  address: string;
  siret: string;
  vatNumber: string;
}

/** The configuration keys naming the seller. */
export type SellerConfig = Partial<Record<'SELLER_NAME' | 'SELLER_ADDRESS' | 'SELLER_SIRET' | 'SELLER_VAT_NUMBER', string>>;

/** The seller from configuration, or undefined unless all four keys are set. */
export function sellerFrom(config: SellerConfig): Seller | undefined {
  const { SELLER_NAME: name, SELLER_ADDRESS: address, SELLER_SIRET: siret, SELLER_VAT_NUMBER: vatNumber } = config;
  return name && address && siret && vatNumber ? { name, address, siret, vatNumber } : undefined;
}

/** An issued invoice. */
export interface Invoice {
  orderId: string;
  /** Sequential, without gaps: FA-000001, FA-000002… */
  number: string;
  issuedAt: string;
  seller: Seller;
}

interface InvoiceRow {
  order_id: string;
  number: number;
  issued_at: Date;
  seller: Seller;
}

/** The printed invoice number of a sequence number. */
export const invoiceNumber = (n: number): string => `FA-${String(n).padStart(6, '0')}`;

const toInvoice = (row: InvoiceRow): Invoice => ({
  orderId: row.order_id,
  number: invoiceNumber(row.number),
  issuedAt: row.issued_at.toISOString(),
  seller: row.seller,
});

// Statuses of an order whose money was collected: only those get an invoice.
const INVOICEABLE = new Set(['paid', 'preparing', 'shipped', 'delivered', 'refunded']);

/** The order's invoice, if issued. */
export async function findInvoice(db: Pool | Tx, orderId: string): Promise<Invoice | undefined> {
  const row = await maybeOne<InvoiceRow>(db, 'SELECT order_id, number, issued_at, seller FROM invoices WHERE order_id = $1', [orderId]);
  return row ? toInvoice(row) : undefined;
}

/**
 * Issues the order's invoice once (a second call returns the first). The number comes from one
 * counter row updated in the issuing transaction: concurrent issues queue on its lock, and a
 * rolled-back issue never consumes a number, so the sequence has no gaps.
 * 404 unknown order; 409 when the order was never paid or the seller identity is not configured.
 */
export async function issueInvoice(db: Pool, actor: Actor, orderId: string, seller: Seller | undefined): Promise<{ invoice: Invoice; created: boolean }> {
  return withTransaction(db, async (tx) => {
    // Locking the order first makes two issues for the same order queue here, not on the counter.
    const order = await maybeOne<{ status: string }>(tx, 'SELECT status FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    if (!order) throw new AppError('not_found', 'Commande introuvable.');
    const existing = await findInvoice(tx, orderId);
    if (existing) return { invoice: existing, created: false };
    if (!INVOICEABLE.has(order.status)) throw new AppError('invalid_state', 'Une facture ne peut être émise que pour une commande payée.', { details: { status: order.status } });
    if (!seller) {
      throw new AppError('invalid_state', 'Identité du vendeur non configurée (SELLER_NAME, SELLER_ADDRESS, SELLER_SIRET, SELLER_VAT_NUMBER) : impossible d’émettre une facture.');
    }
    const { last_number: number } = await one<{ last_number: number }>(tx, 'UPDATE invoice_counter SET last_number = last_number + 1 RETURNING last_number');
    const row = await one<InvoiceRow>(
      tx,
      'INSERT INTO invoices (order_id, number, seller) VALUES ($1, $2, $3) RETURNING order_id, number, issued_at, seller',
      [orderId, number, JSON.stringify(seller)],
    );
    const invoice = toInvoice(row);
    await recordAudit(tx, actor, { action: 'invoice.issue', entityType: 'order', entityId: orderId, after: { invoiceNumber: invoice.number } });
    return { invoice, created: true };
  });
}

/** The order and its issued invoice, for the PDF; 404 when no invoice was issued. */
export async function getInvoiceDocument(db: Pool, orderId: string): Promise<{ invoice: Invoice; order: Order }> {
  const invoice = await findInvoice(db, orderId);
  if (!invoice) throw new AppError('not_found', 'Aucune facture émise pour cette commande.');
  return { invoice, order: await orders.getOrderForShop(db, orderId) };
}
