import { z } from 'zod';

// One line of user-visible text: no control characters, so nothing can split a header or a line.
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'caractère de contrôle interdit');
// Links end up in href attributes: only http(s), never javascript: or data:.
const link = z.url({ protocol: /^https?$/ }).max(2000);
const cents = z.number().int().min(0).max(100_000_000);

/** Data of the `welcome` email; `verifyUrl` is the link that confirms the account's address. */
export const WelcomeData = z.strictObject({ name: line(120), verifyUrl: link.optional() });
export type WelcomeData = z.infer<typeof WelcomeData>;

/** Data of the `password_reset` email. */
export const PasswordResetData = z.strictObject({
  name: line(120),
  resetUrl: link,
  expiresInMinutes: z.number().int().min(1).max(7 * 24 * 60),
});
export type PasswordResetData = z.infer<typeof PasswordResetData>;

/** One line of an order as the confirmation shows it (amounts in cents, VAT included). */
export const OrderEmailLine = z.strictObject({
  title: line(200),
  variantTitle: line(200).optional(),
  quantity: z.number().int().min(1).max(10_000),
  unitPriceCents: cents,
  lineTotalCents: cents,
  /** Absolute URL of the variant's picture, shown as a thumbnail beside the line. */
  imageUrl: link.optional(),
});
export type OrderEmailLine = z.infer<typeof OrderEmailLine>;

/** Where an order goes: an address or a relay point (with its hours), the recipient and the phone carriers use. */
export const DeliveryEmailData = z.strictObject({
  title: line(80),
  lines: z.array(line(200)).min(1).max(6),
  recipient: line(120),
  phone: line(30).optional(),
  hours: z.array(line(120)).max(7).optional(),
});
export type DeliveryEmailData = z.infer<typeof DeliveryEmailData>;

/** Data of the `email_verification` email (asked again from the account page). */
export const EmailVerificationData = z.strictObject({ name: line(120), verifyUrl: link, expiresInDays: z.number().int().min(1).max(30) });
export type EmailVerificationData = z.infer<typeof EmailVerificationData>;

/** Data of the `order_confirmation` email; totals must add up, so a pricing bug fails at enqueue. */
export const OrderConfirmationData = z
  .strictObject({
    name: line(120).optional(),
    orderNumber: line(40),
    lines: z.array(OrderEmailLine).min(1).max(500),
    subtotalCents: cents,
    discountCents: cents,
    shippingCents: cents,
    shippingMethod: line(120),
    delivery: DeliveryEmailData.optional(),
    vatCents: cents,
    totalCents: cents,
    orderUrl: link,
    createdAt: z.iso.datetime({ offset: true }),
  })
  .refine((data) => data.lines.reduce((sum, item) => sum + item.lineTotalCents, 0) === data.subtotalCents, {
    message: 'subtotalCents doit être la somme des lineTotalCents',
    path: ['subtotalCents'],
  })
  .refine((data) => data.subtotalCents - data.discountCents + data.shippingCents === data.totalCents, {
    message: 'totalCents doit valoir subtotalCents - discountCents + shippingCents',
    path: ['totalCents'],
  })
  .refine((data) => data.vatCents <= data.totalCents, { message: 'vatCents dépasse totalCents', path: ['vatCents'] });
export type OrderConfirmationData = z.infer<typeof OrderConfirmationData>;

/** Data of the `payment_failed` email. */
export const PaymentFailedData = z.strictObject({ orderNumber: line(40), retryUrl: link });
export type PaymentFailedData = z.infer<typeof PaymentFailedData>;

/** Data of the `order_shipped` email. */
export const OrderShippedData = z.strictObject({
  orderNumber: line(40),
  carrier: line(80),
  trackingNumber: line(80),
  trackingUrl: link.optional(),
});
export type OrderShippedData = z.infer<typeof OrderShippedData>;

/** Data of the `order_refunded` email, queued once per refund the payment provider confirmed. */
export const OrderRefundedData = z
  .strictObject({
    orderNumber: line(40),
    /** This refund. */
    amountCents: cents.min(1),
    /** Every refund of the order so far, this one included. */
    refundedTotalCents: cents.min(1),
    /** Whether nothing is left to refund. */
    isFull: z.boolean(),
  })
  .refine((data) => data.amountCents <= data.refundedTotalCents, { message: 'amountCents dépasse refundedTotalCents', path: ['amountCents'] });
export type OrderRefundedData = z.infer<typeof OrderRefundedData>;

/** The schema of each template's data, by template name. */
export const TemplateSchemas = {
  welcome: WelcomeData,
  email_verification: EmailVerificationData,
  password_reset: PasswordResetData,
  order_confirmation: OrderConfirmationData,
  payment_failed: PaymentFailedData,
  order_shipped: OrderShippedData,
  order_refunded: OrderRefundedData,
} as const;

/** The name of a transactional email template. */
export type TemplateName = keyof typeof TemplateSchemas;
/** The data each template needs, by template name. */
export type TemplateData = { [K in TemplateName]: z.infer<(typeof TemplateSchemas)[K]> };
