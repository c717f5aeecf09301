import { formatDate, formatMoney } from './format.js';
import { html, type SafeHtml } from './html.js';
import { borderColor, button, cellStyle, heading, mutedStyle, panel, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { DeliveryEmailData, OrderConfirmationData, OrderEmailLine } from './schemas.js';

function lineRow(item: OrderEmailLine): SafeHtml {
  const thumbnail = item.imageUrl
    ? html`<td width="64" style="${cellStyle}padding:10px 12px 10px 0;border-bottom:1px solid ${borderColor};vertical-align:top;"><img src="${item.imageUrl}" width="56" height="56" alt="" style="display:block;border-radius:8px;"></td>`
    : html`<td width="1" style="border-bottom:1px solid ${borderColor};"></td>`;
  return html`<tr>
${thumbnail}<td style="${cellStyle}padding:10px 8px 10px 0;border-bottom:1px solid ${borderColor};">${item.title}${
    item.variantTitle ? html`<br><span style="${mutedStyle}">${item.variantTitle}</span>` : false
  }<br><span style="${mutedStyle}">${item.quantity} × ${formatMoney(item.unitPriceCents)}</span></td>
<td align="right" style="${cellStyle}padding:10px 0;border-bottom:1px solid ${borderColor};white-space:nowrap;vertical-align:top;">${formatMoney(item.lineTotalCents)}</td>
</tr>`;
}

function totalRow(label: string | SafeHtml, amount: string, strong = false): SafeHtml {
  const weight = strong ? 'font-weight:bold;font-size:17px;' : '';
  return html`<tr>
<td style="${cellStyle}${weight}padding:4px 8px 4px 0;">${label}</td>
<td align="right" style="${cellStyle}${weight}padding:4px 0;white-space:nowrap;">${amount}</td>
</tr>`;
}

function shippingAmount(cents: number): string {
  return cents === 0 ? 'Offerte' : formatMoney(cents);
}

function textLine(item: OrderEmailLine): string {
  const variant = item.variantTitle ? ` (${item.variantTitle})` : '';
  return `- ${item.title}${variant} : ${item.quantity} × ${formatMoney(item.unitPriceCents)} = ${formatMoney(item.lineTotalCents)}`;
}

function deliveryPanel(delivery: DeliveryEmailData): SafeHtml {
  const lines = [delivery.recipient, ...delivery.lines];
  return panel(html`<strong>${delivery.title}</strong><br>${lines.map((text, i) => html`${i > 0 ? html`<br>` : false}${text}`)}${
    delivery.phone ? html`<br><span style="${mutedStyle}">Téléphone : ${delivery.phone}</span>` : false
  }${
    delivery.hours?.length
      ? html`<br><br><strong>Horaires d’ouverture</strong>${delivery.hours.map((text) => html`<br><span style="${mutedStyle}">${text}</span>`)}`
      : false
  }`);
}

function deliveryText(delivery: DeliveryEmailData): string {
  return [
    `${delivery.title} :`,
    delivery.recipient,
    ...delivery.lines,
    ...(delivery.phone ? [`Téléphone : ${delivery.phone}`] : []),
    ...(delivery.hours?.length ? ['Horaires d’ouverture :', ...delivery.hours] : []),
  ].join('\n');
}

/** Renders the order confirmation: every line, discount, shipping, total incl. VAT, the VAT share and where it goes. */
export function renderOrderConfirmation(data: OrderConfirmationData): RenderedEmail {
  const subject = `Confirmation de votre commande n° ${data.orderNumber}`;
  const greeting = data.name ? `Bonjour ${data.name},` : 'Bonjour,';
  const date = formatDate(data.createdAt);
  const body = html`${heading('Merci pour votre commande !')}
${paragraph(greeting)}
${paragraph(html`Nous avons bien reçu votre commande <strong>n° ${data.orderNumber}</strong> du ${date}. Nous la préparons avec soin et vous écrirons dès son expédition.`)}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;border-top:1px solid ${borderColor};">
${data.lines.map(lineRow)}
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 24px;">
${totalRow('Sous-total', formatMoney(data.subtotalCents))}
${data.discountCents > 0 ? totalRow('Remise', formatMoney(-data.discountCents)) : false}
${totalRow(html`Livraison <span style="${mutedStyle}">(${data.shippingMethod})</span>`, shippingAmount(data.shippingCents))}
${totalRow('Total TTC', formatMoney(data.totalCents), true)}
<tr><td colspan="2" align="right" style="${mutedStyle}padding:2px 0;">dont TVA ${formatMoney(data.vatCents)}</td></tr>
</table>
${data.delivery ? deliveryPanel(data.delivery) : false}
${button(data.orderUrl, 'Voir ma commande')}`;
  const summary = [
    `Sous-total : ${formatMoney(data.subtotalCents)}`,
    ...(data.discountCents > 0 ? [`Remise : ${formatMoney(-data.discountCents)}`] : []),
    `Livraison (${data.shippingMethod}) : ${shippingAmount(data.shippingCents)}`,
    `Total TTC : ${formatMoney(data.totalCents)}`,
    `dont TVA : ${formatMoney(data.vatCents)}`,
  ];
  return {
    subject,
    html: renderLayout({ subject, preheader: `Commande n° ${data.orderNumber} · ${formatMoney(data.totalCents)}`, body }),
    text: renderText([
      greeting,
      `Nous avons bien reçu votre commande n° ${data.orderNumber} du ${date}. Nous la préparons avec soin et vous écrirons dès son expédition.`,
      `Récapitulatif :\n${data.lines.map(textLine).join('\n')}`,
      summary.join('\n'),
      ...(data.delivery ? [deliveryText(data.delivery)] : []),
      `Voir ma commande : ${data.orderUrl}`,
    ]),
  };
}
