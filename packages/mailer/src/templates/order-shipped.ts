import { html } from './html.js';
import { button, heading, panel, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { OrderShippedData } from './schemas.js';

/** Renders the shipping notice with the carrier, tracking number and, when known, the tracking link. */
export function renderOrderShipped(data: OrderShippedData): RenderedEmail {
  const subject = `Votre commande n° ${data.orderNumber} est en route`;
  const body = html`${heading('Votre colis est en route !')}
${paragraph('Bonjour,')}
${paragraph(html`Bonne nouvelle : votre commande <strong>n° ${data.orderNumber}</strong> vient de quitter notre atelier.`)}
${panel(html`Transporteur : <strong>${data.carrier}</strong><br>Numéro de suivi : <strong>${data.trackingNumber}</strong>`)}
${data.trackingUrl ? button(data.trackingUrl, 'Suivre mon colis') : false}
${paragraph('Nous espérons que vos créations vous plairont autant qu’à nous en les fabriquant.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: `${data.carrier} · suivi ${data.trackingNumber}`, body }),
    text: renderText([
      'Bonjour,',
      `Bonne nouvelle : votre commande n° ${data.orderNumber} vient de quitter notre atelier.`,
      `Transporteur : ${data.carrier}\nNuméro de suivi : ${data.trackingNumber}` +
        (data.trackingUrl ? `\nSuivre mon colis : ${data.trackingUrl}` : ''),
      'Nous espérons que vos créations vous plairont autant qu’à nous en les fabriquant.',
    ]),
  };
}
