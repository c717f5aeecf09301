import { html } from './html.js';
import { button, heading, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { WelcomeData } from './schemas.js';

const VERIFY = 'Confirmez votre adresse e-mail : vos commandes passées sans compte avec cette adresse rejoindront alors votre espace client.';

/** Renders the welcome email sent once an account is created, with the link that confirms its address. */
export function renderWelcome(data: WelcomeData): RenderedEmail {
  const subject = `Bienvenue chez GirlyCrea, ${data.name} !`;
  const body = html`${heading(`Bienvenue, ${data.name} !`)}
${paragraph('Votre compte GirlyCrea est créé. Merci de nous rejoindre !')}
${data.verifyUrl ? html`${paragraph(VERIFY)}${button(data.verifyUrl, 'Confirmer mon adresse e-mail')}` : false}
${paragraph('Vous pouvez désormais suivre vos commandes, enregistrer vos adresses et retrouver vos créations préférées en un instant.')}
${paragraph('Chaque commande est préparée avec soin dans notre atelier. Nous avons hâte de vous faire découvrir nos nouveautés.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: 'Votre compte est prêt : bienvenue dans l’univers GirlyCrea.', body }),
    text: renderText([
      `Bonjour ${data.name},`,
      'Votre compte GirlyCrea est créé. Merci de nous rejoindre !',
      ...(data.verifyUrl ? [VERIFY, `Confirmer mon adresse e-mail : ${data.verifyUrl}`] : []),
      'Vous pouvez désormais suivre vos commandes, enregistrer vos adresses et retrouver vos créations préférées en un instant.',
      'Chaque commande est préparée avec soin dans notre atelier. Nous avons hâte de vous faire découvrir nos nouveautés.',
    ]),
  };
}
