import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBody, Order } from '@girlycrea/contract';
import {
  AdminOrderList,
  AdminOrderParams,
  AdminOrderQuery,
  AuditList,
  AuditQuery,
  ExportQuery,
  Invoice,
  OrderDetail,
  RefundRequest,
  SecondFactorRequest,
  ShipRequest,
  TotpCode,
} from './schema.js';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const file = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string().meta({ format: 'binary' }) } } });
const OrderBody = z.object({ order: Order });
const Refund = z.object({ id: z.uuid(), orderId: z.uuid(), amountCents: z.int(), currency: z.literal('EUR'), status: z.string(), attempts: z.int(), createdAt: z.string() });

// Every admin route answers these when the gate refuses.
const GATE = {
  401: error('Non connecté'),
  403: error('Pas administratrice, ou double authentification non validée (details.reason = second_factor_required)'),
} as const;

const order = (action: string, summary: string, extra: Record<number, ReturnType<typeof json>> = {}, request: object = {}) => ({
  method: 'post' as const,
  path: `/api/admin/orders/{id}/${action}`,
  summary,
  request: { params: AdminOrderParams, ...request },
  responses: { 200: json(OrderBody, 'La commande après le changement'), 400: error('Identifiant ou champ invalide'), 404: error('Commande introuvable'), 409: error('Changement de statut non permis'), ...GATE, ...extra },
});

/** Documents the second factor and the back office routes. */
export function registerAdminOpenApi(registry: OpenAPIRegistry): void {
  const path = registry.registerPath.bind(registry);
  path({
    method: 'get', path: '/api/auth/totp/status', summary: 'Double authentification : configurée ? validée pour cette session ?',
    responses: { 200: json(z.object({ enrolled: z.boolean(), verified: z.boolean() }), 'État'), ...GATE },
  });
  path({
    method: 'post', path: '/api/auth/totp/setup', summary: 'Commencer la configuration de l’application d’authentification (première connexion)',
    responses: { 201: json(z.object({ secret: z.string(), otpauthUrl: z.string() }), 'Secret à saisir ou à scanner'), 409: error('Déjà configurée'), ...GATE },
  });
  path({
    method: 'post', path: '/api/auth/totp/enable', summary: 'Confirmer avec un premier code ; renvoie les codes de secours (une seule fois)', request: body(TotpCode),
    responses: { 200: json(z.object({ recoveryCodes: z.array(z.string()), csrfToken: z.string() }), 'Configurée ; nouvelle session administrateur'), 401: error('Code incorrect'), 409: error('Configuration non commencée'), 429: error('Trop de tentatives'), 403: GATE[403] },
  });
  path({
    method: 'post', path: '/api/auth/totp/verify', summary: 'Valider la double authentification (code ou code de secours)', request: body(SecondFactorRequest),
    responses: { 200: json(z.object({ recoveryCodesLeft: z.int(), csrfToken: z.string() }), 'Session administrateur ouverte (30 min d’inactivité, 8 h au plus)'), 401: error('Code incorrect'), 409: error('Non configurée'), 429: error('Trop de tentatives'), 403: GATE[403] },
  });

  path({
    method: 'get', path: '/api/admin/orders', summary: 'Commandes : filtres (statut, paiement, dates, recherche) et pagination', request: { query: AdminOrderQuery },
    responses: { 200: json(AdminOrderList, 'Une page de commandes'), 400: error('Filtre invalide'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/orders/{id}', summary: 'Détail d’une commande', request: { params: AdminOrderParams },
    responses: { 200: json(OrderDetail, 'La commande'), 400: error('Identifiant invalide'), 404: error('Commande introuvable'), ...GATE },
  });
  path(order('prepare', 'Passer « en préparation »'));
  path(order('ship', 'Expédier (transporteur + numéro de suivi ; envoie l’e-mail « expédiée »)', {}, body(ShipRequest)));
  path(order('deliver', 'Marquer « livrée »'));
  path(order('cancel', 'Annuler (remet le stock)'));
  path({
    method: 'post', path: '/api/admin/orders/{id}/refunds', summary: 'Rembourser tout ou partie (Idempotency-Key requis)',
    request: { params: AdminOrderParams, headers: z.object({ 'Idempotency-Key': z.string().min(1).max(255) }), ...body(RefundRequest) },
    responses: { 201: json(z.object({ refund: Refund }), 'Remboursement enregistré'), 400: error('Montant ou clé invalide'), 404: error('Commande introuvable'), 409: error('Paiement non encaissé ou clé réutilisée'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/orders/{id}/invoice', summary: 'Émettre la facture (numérotation continue ; une seule par commande)', request: { params: AdminOrderParams },
    responses: { 200: json(z.object({ invoice: Invoice }), 'Déjà émise'), 201: json(z.object({ invoice: Invoice }), 'Émise'), 400: error('Identifiant invalide'), 404: error('Commande introuvable'), 409: error('Commande non payée ou vendeur non configuré'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/orders/{id}/invoice.pdf', summary: 'La facture en PDF', request: { params: AdminOrderParams },
    responses: { 200: file('application/pdf', 'La facture'), 400: error('Identifiant invalide'), 404: error('Commande ou facture introuvable'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/orders/{id}/packing-slip.pdf', summary: 'Le bon de préparation en PDF', request: { params: AdminOrderParams },
    responses: { 200: file('application/pdf', 'Le bon'), 400: error('Identifiant invalide'), 404: error('Commande introuvable'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/exports/orders.csv', summary: 'Export comptable : une ligne par ligne de commande (HT, TVA, TTC)', request: { query: ExportQuery },
    responses: { 200: file('text/csv', 'Le fichier CSV (séparateur ;)'), 400: error('Date invalide ou période trop longue'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/audit', summary: 'Journal des modifications (qui, quoi, avant/après, quand)', request: { query: AuditQuery },
    responses: { 200: json(AuditList, 'Une page du journal'), 400: error('Filtre invalide'), ...GATE },
  });
}
