import { z } from 'zod';
import { LinkToken } from './common.js';

/** The payment providers a checkout can choose. */
export const PROVIDER_NAMES = ['test', 'stripe'] as const;
/** A payment provider's name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** `POST /api/payments/test/:orderId/confirm`. */
export const TestConfirmRequest = z.object({ outcome: z.enum(['succeed', 'fail'], 'outcome : « succeed » ou « fail »') });
export type TestConfirmRequest = z.infer<typeof TestConfirmRequest>;

/** Path parameter naming the order to pay. */
export const PaymentOrderParams = z.object({ orderId: z.uuid('identifiant de commande invalide') });

/** `?token=` of the confirmation e-mail, for a guest paying from another browser. */
export const PaymentQuery = z.object({ token: LinkToken('jeton invalide').optional() });

/** An order's payment. */
export const Payment = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    provider: z.enum(PROVIDER_NAMES),
    status: z.enum(['pending', 'succeeded', 'failed', 'refund_pending', 'refunded']),
    amountCents: z.int().min(0),
    currency: z.literal('EUR'),
    /** A provider's browser secret, when its payment form runs on our page (none does today). */
    clientSecret: z.string().optional(),
    /** Stripe: the hosted payment page to send the customer to. */
    redirectUrl: z.url().optional(),
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;

/** `GET /api/payments/providers`: what a checkout may choose here. */
export const ProvidersResponse = z.object({ providers: z.array(z.enum(PROVIDER_NAMES)) }).meta({ id: 'PaymentProviders' });
export type ProvidersResponse = z.infer<typeof ProvidersResponse>;
