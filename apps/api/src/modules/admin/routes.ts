import { Router, type Request, type Response } from 'express';
import type { CacheStore, SessionStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import { currentUser } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { limit } from '../../http/rate-limit.js';
import { setSessionCookie, type CookieSettings } from '../../http/session.js';
import { parse } from '../../http/validate.js';
import { idempotencyKey } from '../idempotency/service.js';
import type { PaymentProviders } from '../payments/provider.js';
import { listAudit } from './audit.js';
import { addCatalogRoutes } from './catalog-routes.js';
import { addOffersRoutes } from './offers-routes.js';
import { addShopAdminRoutes } from './shop-admin-routes.js';
import { ordersCsv, renderInvoicePdf, renderPackingSlipPdf } from './documents.js';
import { actorOf, requireAdminSecondFactor } from './guard.js';
import { getInvoiceDocument, issueInvoice, type Seller } from './invoices.js';
import * as orders from './orders.js';
import { AdminOrderParams, AdminOrderQuery, AuditQuery, ExportQuery, RefundRequest, SecondFactorRequest, ShipRequest, TotpCode } from './schema.js';
import type { SecretBox } from './secret-box.js';
import * as secondFactor from './second-factor.js';
import type { CatalogChanged } from './storefront.js';

/** What the back office needs. */
export interface AdminDeps {
  db: Pool;
  cache: CacheStore;
  sessions: SessionStore;
  providers: PaymentProviders;
  cookies: CookieSettings;
  /** The seller printed on invoices; invoices are refused until it is configured. */
  seller?: Seller | undefined;
  /** The uploads folder (product images). */
  uploadsDir: string;
  /** Called after each catalogue change (API caches, storefront pages). */
  catalogChanged: CatalogChanged;
  /** Encrypts the TOTP secrets at rest. */
  secretBox: SecretBox;
}

const MINUTE = 60_000;

// The admin's signed-in session; these routes sit behind the session loader.
function adminSession(req: Request) {
  const user = currentUser(req);
  if (user.role !== 'admin') throw new AppError('forbidden', 'Accès réservé à l’administration.');
  return { user, session: req.session! };
}

/**
 * `/api/auth/totp/*`: the admin's second factor, set up at the first sign-in (status, setup,
 * enable) and asked at every sign-in after (verify). Signed-in admins only; codes are rate limited
 * per account.
 */
export function secondFactorRoutes(deps: AdminDeps): Router {
  const router = Router();
  const perAccount = limit(deps.cache, {
    name: 'totp-account',
    limit: 5,
    windowMs: 5 * MINUTE,
    key: (req) => `user:${req.session?.data.userId ?? '-'}`,
    countOnlyFailures: true,
  });

  router.get('/status', async (req, res) => {
    const { user, session } = adminSession(req);
    res.setHeader('Cache-Control', 'no-store').json(await secondFactor.secondFactorStatus(deps, session, user.id));
  });

  router.post('/setup', async (req, res) => {
    const { user } = adminSession(req);
    const email = (await orders.adminEmail(deps.db, user.id)) ?? '';
    res.setHeader('Cache-Control', 'no-store').status(201).json(await secondFactor.startEnrolment(deps, { id: user.id, email }));
  });

  router.post('/enable', perAccount, async (req, res) => {
    const { user, session } = adminSession(req);
    const { code } = parse(TotpCode, req.body);
    const result = await secondFactor.confirmEnrolment(deps, session, user.id, code);
    setSessionCookie(res, result.session.id, deps.cookies);
    res.setHeader('Cache-Control', 'no-store').json({ recoveryCodes: result.recoveryCodes, csrfToken: result.session.data.csrfToken });
  });

  router.post('/verify', perAccount, async (req, res) => {
    const { user, session } = adminSession(req);
    const result = await secondFactor.verifySecondFactor(deps, session, user.id, parse(SecondFactorRequest, req.body));
    setSessionCookie(res, result.session.id, deps.cookies);
    res.setHeader('Cache-Control', 'no-store').json({ recoveryCodesLeft: result.recoveryCodesLeft, csrfToken: result.session.data.csrfToken });
  });

  return router;
}

const pdf = (res: Response, name: string, bytes: Uint8Array) =>
  res.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${name}"`).send(Buffer.from(bytes));

/** `/api/admin/*`: every route behind the admin + second factor gate, which comes first. */
export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.use(requireAdminSecondFactor(deps));

  router.get('/orders', async (req, res) => {
    res.json(await orders.listOrders(deps.db, parse(AdminOrderQuery, req.query)));
  });

  router.get('/orders/:id', async (req, res) => {
    res.json(await orders.getOrderDetail(deps.db, parse(AdminOrderParams, req.params).id));
  });

  router.post('/orders/:id/prepare', async (req, res) => {
    res.json({ order: await orders.startPreparing(deps.db, actorOf(res), parse(AdminOrderParams, req.params).id) });
  });

  router.post('/orders/:id/ship', async (req, res) => {
    const { id } = parse(AdminOrderParams, req.params);
    res.json({ order: await orders.shipOrder(deps.db, actorOf(res), id, parse(ShipRequest, req.body)) });
  });

  router.post('/orders/:id/deliver', async (req, res) => {
    res.json({ order: await orders.markDelivered(deps.db, actorOf(res), parse(AdminOrderParams, req.params).id) });
  });

  router.post('/orders/:id/cancel', async (req, res) => {
    res.json({ order: await orders.cancelOrder(deps.db, actorOf(res), parse(AdminOrderParams, req.params).id) });
  });

  router.post('/orders/:id/refunds', async (req, res) => {
    const { id } = parse(AdminOrderParams, req.params);
    const key = idempotencyKey(req);
    const result = await orders.refundOrder(deps, actorOf(res), id, key, parse(RefundRequest, req.body));
    res.status(result.statusCode).json(result.body);
  });

  router.post('/orders/:id/invoice', async (req, res) => {
    const { invoice, created } = await issueInvoice(deps.db, actorOf(res), parse(AdminOrderParams, req.params).id, deps.seller);
    res.status(created ? 201 : 200).json({ invoice });
  });

  router.get('/orders/:id/invoice.pdf', async (req, res) => {
    const { invoice, order } = await getInvoiceDocument(deps.db, parse(AdminOrderParams, req.params).id);
    pdf(res, `facture-${invoice.number}.pdf`, await renderInvoicePdf(invoice, order));
  });

  router.get('/orders/:id/packing-slip.pdf', async (req, res) => {
    const detail = await orders.getOrderDetail(deps.db, parse(AdminOrderParams, req.params).id);
    pdf(res, `preparation-${detail.order.number}.pdf`, await renderPackingSlipPdf(detail.order));
  });

  router.get('/exports/orders.csv', async (req, res) => {
    const range = parse(ExportQuery, req.query);
    const csv = ordersCsv(await orders.ordersForExport(deps.db, range));
    const name = `commandes${range.from ? `-du-${range.from}` : ''}${range.to ? `-au-${range.to}` : ''}.csv`;
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}"`).send(csv);
  });

  router.get('/audit', async (req, res) => {
    res.json(await listAudit(deps.db, parse(AuditQuery, req.query)));
  });

  addCatalogRoutes(router, deps);
  addShopAdminRoutes(router, deps);
  addOffersRoutes(router, deps);

  return router;
}
