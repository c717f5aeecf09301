import { renderEmailVerification } from './email-verification.js';
import type { RenderedEmail } from './layout.js';
import { renderOrderConfirmation } from './order-confirmation.js';
import { renderOrderRefunded } from './order-refunded.js';
import { renderOrderShipped } from './order-shipped.js';
import { renderPasswordReset } from './password-reset.js';
import { renderPaymentFailed } from './payment-failed.js';
import { TemplateSchemas, type TemplateData, type TemplateName } from './schemas.js';
import { renderWelcome } from './welcome.js';

export { formatDate, formatMoney } from './format.js';
export { escapeHtml } from './html.js';
export type { RenderedEmail } from './layout.js';
export * from './schemas.js';

const RENDERERS: { [K in TemplateName]: (data: TemplateData[K]) => RenderedEmail } = {
  welcome: renderWelcome,
  email_verification: renderEmailVerification,
  password_reset: renderPasswordReset,
  order_confirmation: renderOrderConfirmation,
  payment_failed: renderPaymentFailed,
  order_shipped: renderOrderShipped,
  order_refunded: renderOrderRefunded,
};

/** Every template name, in a stable order. */
export const TEMPLATE_NAMES = Object.keys(TemplateSchemas) as TemplateName[];

/** Thrown when a template name is unknown or its data does not match the template's schema. */
export class TemplateDataError extends Error {
  constructor(
    readonly template: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Données invalides pour l’e-mail « ${template} » : ${issues.map((issue) => `${issue.path || '(racine)'} ${issue.message}`).join(' ; ')}`);
    this.name = 'TemplateDataError';
  }
}

/** Answers whether `name` is a known template. */
export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(TemplateSchemas, name);
}

/** Validates (and trims) `data` for `template`; throws `TemplateDataError` naming every bad field. */
export function parseTemplateData<T extends TemplateName>(template: T, data: unknown): TemplateData[T];
export function parseTemplateData(template: string, data: unknown): TemplateData[TemplateName];
export function parseTemplateData(template: string, data: unknown): TemplateData[TemplateName] {
  if (!isTemplateName(template)) {
    throw new TemplateDataError(template, [{ path: '', message: 'modèle inconnu' }]);
  }
  const result = TemplateSchemas[template].safeParse(data);
  if (!result.success) {
    throw new TemplateDataError(
      template,
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return result.data;
}

/** Renders `template` in French (subject, HTML with every user string escaped, plain text); validates `data` first. */
export function renderEmail<T extends TemplateName>(template: T, data: TemplateData[T]): RenderedEmail {
  const parsed = parseTemplateData(template, data);
  // The map's key and value share T, which TypeScript cannot correlate through an index access.
  const render = RENDERERS[template] as (data: TemplateData[T]) => RenderedEmail;
  return render(parsed);
}

/** Renders a template named by a string with data read back from storage; throws `TemplateDataError` if either is bad. */
export function renderStoredEmail(template: string, data: unknown): RenderedEmail {
  const parsed = parseTemplateData(template, data);
  return (RENDERERS[template as TemplateName] as (data: unknown) => RenderedEmail)(parsed);
}
