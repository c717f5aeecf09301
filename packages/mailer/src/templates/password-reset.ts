import { html } from './html.js';
import { button, heading, note, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { PasswordResetData } from './schemas.js';

function duration(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minute${minutes > 1 ? 's' : ''}`;
  const hours = minutes / 60;
  return `${hours} heure${hours > 1 ? 's' : ''}`;
}

/** Renders the password reset email; the link's lifetime is stated in French. */
export function renderPasswordReset(data: PasswordResetData): RenderedEmail {
  const subject = 'Réinitialisation de votre mot de passe GirlyCrea';
  const validity = duration(data.expiresInMinutes);
  const body = html`${heading('Nouveau mot de passe')}
${paragraph(`Bonjour ${data.name},`)}
${paragraph('Vous avez demandé à réinitialiser le mot de passe de votre compte GirlyCrea. Cliquez sur le bouton ci-dessous pour en choisir un nouveau :')}
${button(data.resetUrl, 'Choisir un nouveau mot de passe')}
${paragraph(`Ce lien est valable ${validity} et ne peut servir qu’une fois.`)}
${note('Vous n’êtes pas à l’origine de cette demande ? Ignorez simplement cet e-mail : votre mot de passe actuel reste inchangé.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: `Votre lien de réinitialisation est valable ${validity}.`, body }),
    text: renderText([
      `Bonjour ${data.name},`,
      'Vous avez demandé à réinitialiser le mot de passe de votre compte GirlyCrea. Ouvrez ce lien pour en choisir un nouveau :',
      data.resetUrl,
      `Ce lien est valable ${validity} et ne peut servir qu’une fois.`,
      'Vous n’êtes pas à l’origine de cette demande ? Ignorez simplement cet e-mail : votre mot de passe actuel reste inchangé.',
    ]),
  };
}
