import { formatMoney } from './format.js';
import { html } from './html.js';
import { button, heading, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { PaymentReceivedData } from './schemas.js';

/** Renders the notice that an order's payment went through and the order is being prepared. */
export function renderPaymentReceived(data: PaymentReceivedData): RenderedEmail {
  const subject = `Paiement reçu pour votre commande n° ${data.orderNumber}`;
  const amount = formatMoney(data.amountCents);
  const body = html`${heading('Paiement reçu, merci !')}
${paragraph('Bonjour,')}
${paragraph(html`Nous avons bien reçu votre paiement de <strong>${amount}</strong> pour la commande <strong>n° ${data.orderNumber}</strong>.`)}
${paragraph('Nous la préparons avec soin et vous écrirons dès son expédition.')}
${data.orderUrl ? button(data.orderUrl, 'Suivre ma commande') : paragraph('Le lien « Voir ma commande » de l’e-mail de confirmation permet de la suivre.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: `Commande n° ${data.orderNumber} · ${amount} payés`, body }),
    text: renderText([
      'Bonjour,',
      `Nous avons bien reçu votre paiement de ${amount} pour la commande n° ${data.orderNumber}.`,
      'Nous la préparons avec soin et vous écrirons dès son expédition.',
      data.orderUrl ? `Suivre ma commande : ${data.orderUrl}` : 'Le lien « Voir ma commande » de l’e-mail de confirmation permet de la suivre.',
    ]),
  };
}
