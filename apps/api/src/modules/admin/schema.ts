import { z } from 'zod';
import { Order, ORDER_STATUSES } from '@girlycrea/contract';

const Day = z.iso.date('date attendue au format AAAA-MM-JJ');
const Page = z.coerce.number().int('page invalide').min(1, 'page invalide').max(10_000).default(1);
const Limit = z.coerce.number().int().min(1).max(100, '100 au plus').default(20);
const Text = (max: number) => z.string().trim().min(1, 'obligatoire').max(max, `${max} caractères au plus`);

/** Path parameter of one order. */
export const AdminOrderParams = z.object({ id: z.uuid('identifiant de commande invalide') });

/** `GET /api/admin/orders`: filters and page. */
export const AdminOrderQuery = z.object({
  status: z.enum(ORDER_STATUSES, 'statut inconnu').optional(),
  paymentStatus: z.enum(['pending', 'succeeded', 'failed', 'refund_pending', 'refunded'], 'état de paiement inconnu').optional(),
  from: Day.optional(),
  to: Day.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  page: Page,
  limit: Limit,
});
export type AdminOrderQuery = z.infer<typeof AdminOrderQuery>;

/** `POST /api/admin/orders/:id/ship`. */
export const ShipRequest = z.object({
  carrier: Text(80),
  trackingNumber: Text(80).regex(/^[A-Za-z0-9 -]+$/, 'lettres, chiffres, espaces et tirets seulement'),
  trackingUrl: z.url({ protocol: /^https$/, error: 'lien https attendu' }).max(500).optional(),
});
export type ShipRequest = z.infer<typeof ShipRequest>;

/** `POST /api/admin/orders/:id/refunds`: no amount means everything still refundable. */
export const RefundRequest = z.object({
  amountCents: z.int('montant en centimes entiers').min(1, 'montant positif attendu').optional(),
  note: z.string().trim().max(500).optional(),
});
export type RefundRequest = z.infer<typeof RefundRequest>;

/** `GET /api/admin/exports/orders.csv`: paid between two days, both included. */
export const ExportQuery = z.object({ from: Day.optional(), to: Day.optional() });

/** `GET /api/admin/audit`. */
export const AuditQuery = z.object({
  entityType: z.string().trim().min(1).max(40).optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  page: Page,
  limit: Limit,
});

/** A six-digit code from the authenticator app. */
export const TotpCode = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'code à 6 chiffres attendu') });

/** `POST /api/auth/totp/verify`: a code from the app, or a recovery code (exactly one). */
export const SecondFactorRequest = z
  .object({
    code: TotpCode.shape.code.optional(),
    recoveryCode: z.string().trim().regex(/^[0-9A-Fa-f]{5}-?[0-9A-Fa-f]{5}$/, 'code de secours invalide').optional(),
  })
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), 'code à 6 chiffres ou code de secours attendu');

const When = z.iso.datetime({ offset: true });

/** One order in the back office list. */
export const OrderSummary = z
  .object({
    id: z.uuid(),
    number: z.string(),
    status: z.enum(ORDER_STATUSES),
    email: z.string(),
    name: z.string(),
    totalCents: z.int(),
    paymentStatus: z.string().nullable(),
    createdAt: When,
  })
  .meta({ id: 'AdminOrderSummary' });

/** A page of orders. */
export const AdminOrderList = z.object({ items: z.array(OrderSummary), page: z.int(), limit: z.int(), total: z.int() }).meta({ id: 'AdminOrderList' });

/** An issued invoice. */
export const Invoice = z
  .object({
    orderId: z.uuid(),
    number: z.string().meta({ example: 'FA-000042' }),
    issuedAt: When,
    seller: z.object({ name: z.string(), address: z.string(), siret: z.string(), vatNumber: z.string() }),
  })
  .meta({ id: 'Invoice' });

/** An order with its shipping, payment, refunds, e-mails and invoice. */
export const OrderDetail = z
  .object({
    order: Order,
    shipping: z.object({ carrier: z.string().nullable(), trackingNumber: z.string().nullable(), shippedAt: When.nullable(), deliveredAt: When.nullable() }),
    payment: z.object({ provider: z.string(), status: z.string(), amountCents: z.int(), refundedCents: z.int() }).nullable(),
    refunds: z.array(z.object({ id: z.uuid(), amountCents: z.int(), status: z.string(), note: z.string().nullable(), createdAt: When })),
    emails: z.array(z.object({ template: z.string(), status: z.string(), createdAt: When, sentAt: When.nullable() })),
    invoice: Invoice.nullable(),
  })
  .meta({ id: 'AdminOrderDetail' });

/** One audit log entry. */
export const AuditEntry = z
  .object({
    id: z.int(),
    actorEmail: z.string(),
    action: z.string().meta({ example: 'order.ship' }),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: When,
  })
  .meta({ id: 'AuditEntry' });

/** A page of the audit log. */
export const AuditList = z.object({ items: z.array(AuditEntry), page: z.int(), limit: z.int(), total: z.int() }).meta({ id: 'AuditList' });
