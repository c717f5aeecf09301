import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBody, OrderBody, PaymentOrderParams, PaymentQuery, ProvidersResponse, TestConfirmRequest } from '@girlycrea/contract';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const IdempotencyHeader = z.object({ 'Idempotency-Key': z.string().min(1).max(255) });

/** Documents the payment routes. */
export function registerPaymentsOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/payments/providers',
    summary: 'Moyens de paiement proposés par cette boutique (« test » seulement hors production)',
    responses: { 200: json(ProvidersResponse, 'Moyens de paiement') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/payments/test/{orderId}/confirm',
    summary: 'Paiement de test (dev/CI) : réussite ou échec ; désactivé en production',
    request: { params: PaymentOrderParams, query: PaymentQuery, headers: IdempotencyHeader, body: { content: { 'application/json': { schema: TestConfirmRequest } } } },
    responses: {
      200: json(OrderBody, 'Commande payée ou en échec de paiement (une relecture avec la même clé renvoie la première réponse)'),
      400: error('Corps ou Idempotency-Key invalide'),
      404: error('Commande introuvable pour cet appelant'),
      409: error('invalid_state (commande expirée, déjà payée…) ou idempotency_conflict'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/payments/stripe/webhook',
    summary: 'Événements Stripe (corps brut signé, en-tête Stripe-Signature) ; chaque événement appliqué une fois',
    request: { headers: z.object({ 'Stripe-Signature': z.string() }), body: { content: { 'application/json': { schema: z.object({ id: z.string(), type: z.string() }).loose() } } } },
    responses: {
      200: json(z.object({ received: z.literal(true), duplicate: z.boolean() }), 'Reçu'),
      400: error('invalid_signature : rien n’est modifié'),
    },
  });
}
