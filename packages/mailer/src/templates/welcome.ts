import { html } from './html.js';
import { heading, paragraph, renderLayout, renderText, type RenderedEmail } from './layout.js';
import type { WelcomeData } from './schemas.js';

/** Renders the welcome email sent once an account is created. */
export function renderWelcome(data: WelcomeData): RenderedEmail {
  const subject = `Bienvenue chez GirlyCrea, ${data.name} !`;
  const body = html`${heading(`Bienvenue, ${data.name} !`)}
${paragraph('Votre compte GirlyCrea est créé. Merci de nous rejoindre !')}
${paragraph('Vous pouvez désormais suivre vos commandes, enregistrer vos adresses et retrouver vos créations préférées en un instant.')}
${paragraph('Chaque commande est préparée avec soin dans notre atelier. Nous avons hâte de vous faire découvrir nos nouveautés.')}`;
  return {
    subject,
    html: renderLayout({ subject, preheader: 'Votre compte est prêt : bienvenue dans l’univers GirlyCrea.', body }),
    text: renderText([
      `Bonjour ${data.name},`,
      'Votre compte GirlyCrea est créé. Merci de nous rejoindre !',
      'Vous pouvez désormais suivre vos commandes, enregistrer vos adresses et retrouver vos créations préférées en un instant.',
      'Chaque commande est préparée avec soin dans notre atelier. Nous avons hâte de vous faire découvrir nos nouveautés.',
    ]),
  };
}
