import { html } from './html.js';
import { button, heading, note, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { EmailVerificationData } from './schemas.js';

const WHY = 'Une fois votre adresse confirmée, les commandes passées sans compte avec cette adresse apparaissent dans votre espace client.';

/** Renders the link that confirms an account's e-mail address (asked again from the account page). */
export function renderEmailVerification(data: EmailVerificationData): RenderedEmail {
  const subject = 'Confirmez votre adresse e-mail GirlyCrea';
  const validity = `${data.expiresInDays} jour${data.expiresInDays > 1 ? 's' : ''}`;
  const body = html`${heading('Confirmez votre adresse e-mail')}
${paragraph(`Bonjour ${data.name},`)}
${paragraph(WHY)}
${button(data.verifyUrl, 'Confirmer mon adresse e-mail')}
${paragraph(`Ce lien est valable ${validity}.`)}
${note('Vous n’avez pas de compte GirlyCrea ? Ignorez simplement cet e-mail.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: 'Un clic pour retrouver toutes vos commandes dans votre compte.', body }),
    text: renderText([
      `Bonjour ${data.name},`,
      WHY,
      `Confirmer mon adresse e-mail : ${data.verifyUrl}`,
      `Ce lien est valable ${validity}.`,
      'Vous n’avez pas de compte GirlyCrea ? Ignorez simplement cet e-mail.',
    ]),
  };
}
