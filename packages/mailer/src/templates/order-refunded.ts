import { formatMoney } from './format.js';
import { html } from './html.js';
import { heading, panel, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { OrderRefundedData } from './schemas.js';

/** Renders the notice of a refund: the amount given back, and whether the whole order is now refunded. */
export function renderOrderRefunded(data: OrderRefundedData): RenderedEmail {
  const subject = `Remboursement de votre commande n° ${data.orderNumber}`;
  const amount = formatMoney(data.amountCents);
  const kind = data.isFull ? 'Votre commande est désormais entièrement remboursée.' : `Remboursement partiel : ${formatMoney(data.refundedTotalCents)} remboursés au total sur cette commande.`;
  const delay = 'Le montant revient sur le moyen de paiement utilisé pour la commande ; selon votre banque, il apparaît sur votre relevé sous 5 à 10 jours ouvrés.';
  const body = html`${heading('Votre remboursement est en route')}
${paragraph('Bonjour,')}
${paragraph(html`Nous venons de vous rembourser <strong>${amount}</strong> pour la commande <strong>n° ${data.orderNumber}</strong>.`)}
${panel(html`${kind}`)}
${paragraph(delay)}
${paragraph('Une question ? Répondez simplement à cet e-mail.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: `${amount} remboursés · commande n° ${data.orderNumber}`, body }),
    text: renderText([
      'Bonjour,',
      `Nous venons de vous rembourser ${amount} pour la commande n° ${data.orderNumber}.`,
      kind,
      delay,
      'Une question ? Répondez simplement à cet e-mail.',
    ]),
  };
}
