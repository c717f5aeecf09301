import { html } from './html.js';
import { button, heading, note, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { PaymentFailedData } from './schemas.js';

/** Renders the email telling a customer their payment did not go through, with a link to retry. */
export function renderPaymentFailed(data: PaymentFailedData): RenderedEmail {
  const subject = `Le paiement de votre commande n° ${data.orderNumber} n’a pas abouti`;
  const body = html`${heading('Votre paiement n’a pas abouti')}
${paragraph('Bonjour,')}
${paragraph(html`Le paiement de votre commande <strong>n° ${data.orderNumber}</strong> n’a pas pu être validé : votre commande est en attente.`)}
${paragraph('Vos articles vous attendent encore un peu : vous pouvez réessayer avec la même carte ou un autre moyen de paiement.')}
${button(data.retryUrl, 'Réessayer le paiement')}
${note('Sans nouveau paiement, la commande sera annulée automatiquement et les articles remis en vente.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: 'Vos articles vous attendent : réessayez votre paiement.', body }),
    text: renderText([
      'Bonjour,',
      `Le paiement de votre commande n° ${data.orderNumber} n’a pas pu être validé : votre commande est en attente.`,
      'Vos articles vous attendent encore un peu : vous pouvez réessayer avec la même carte ou un autre moyen de paiement :',
      data.retryUrl,
      'Sans nouveau paiement, la commande sera annulée automatiquement et les articles remis en vente.',
    ]),
  };
}
