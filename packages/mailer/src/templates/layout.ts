import { html, type SafeHtml } from './html.js';

/** What every template produces: a subject, the HTML part and the plain-text part. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// The shop's palette; inline styles only, since many email clients strip <style> blocks.
const COLORS = {
  page: '#fdf6ef',
  card: '#ffffff',
  border: '#f5d3df',
  banner: '#fbe3ec',
  brand: '#b8396a',
  button: '#c2416f',
  text: '#4a3a40',
  muted: '#8a7379',
  soft: '#fff4f7',
};
const SANS = 'Helvetica, Arial, sans-serif';
const SERIF = 'Georgia, Times, serif';

/** A paragraph in the body text style. */
export function paragraph(content: SafeHtml | string): SafeHtml {
  return html`<p style="margin:0 0 16px;font-family:${SANS};font-size:16px;line-height:1.6;color:${COLORS.text};">${content}</p>`;
}

/** A small grey paragraph for secondary information. */
export function note(content: SafeHtml | string): SafeHtml {
  return html`<p style="margin:0 0 12px;font-family:${SANS};font-size:13px;line-height:1.5;color:${COLORS.muted};">${content}</p>`;
}

/** The email's title line. */
export function heading(text: string): SafeHtml {
  return html`<h1 style="margin:0 0 20px;font-family:${SERIF};font-size:24px;line-height:1.3;font-weight:normal;color:${COLORS.brand};">${text}</h1>`;
}

/** A call-to-action button built from a table cell, which Outlook renders where padded links fail. */
export function button(url: string, label: string): SafeHtml {
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" align="center" style="margin:8px auto 24px;border-collapse:separate;">
<tr><td align="center" bgcolor="${COLORS.button}" style="border-radius:24px;background-color:${COLORS.button};">
<a href="${url}" target="_blank" style="display:inline-block;padding:14px 30px;font-family:${SANS};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:24px;">${label}</a>
</td></tr></table>
${note(html`Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :<br><a href="${url}" style="color:${COLORS.brand};word-break:break-all;">${url}</a>`)}`;
}

/** A soft pink box that highlights a block (tracking number, order summary). */
export function panel(content: SafeHtml): SafeHtml {
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;background-color:${COLORS.soft};border:1px solid ${COLORS.border};border-radius:12px;">
<tr><td style="padding:16px 20px;font-family:${SANS};font-size:15px;line-height:1.6;color:${COLORS.text};">${content}</td></tr></table>`;
}

/** Inline style of an order summary cell. */
export const cellStyle = `font-family:${SANS};font-size:15px;line-height:1.5;color:${COLORS.text};`;
/** Inline style of secondary text inside a cell (variant, unit price). */
export const mutedStyle = `font-family:${SANS};font-size:13px;line-height:1.4;color:${COLORS.muted};`;
/** The pink of separators. */
export const borderColor = COLORS.border;

/** Wraps a body in the shop's frame: cream page, white card, pink banner, footer. */
export function renderLayout(options: { subject: string; preheader: string; body: SafeHtml }): string {
  return html`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${options.subject}</title>
</head>
<body style="margin:0;padding:0;background-color:${COLORS.page};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;font-size:1px;line-height:1px;color:${COLORS.page};">${options.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${COLORS.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:${COLORS.card};border:1px solid ${COLORS.border};border-radius:16px;">
<tr><td align="center" style="padding:28px 24px;background-color:${COLORS.banner};border-radius:16px 16px 0 0;font-family:${SERIF};font-size:30px;letter-spacing:1px;color:${COLORS.brand};">GirlyCrea</td></tr>
<tr><td style="padding:32px 32px 16px;">${options.body}
${paragraph(html`À très vite,<br>L’équipe GirlyCrea`)}</td></tr>
<tr><td align="center" style="padding:20px 32px 28px;border-top:1px solid ${COLORS.border};font-family:${SANS};font-size:12px;line-height:1.5;color:${COLORS.muted};">
GirlyCrea · bijoux, accessoires et petits cadeaux<br>
Cet e-mail vous est envoyé suite à une action sur votre compte ou une commande sur notre boutique.
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`.value;
}

/** Builds the plain-text part: the given paragraphs, then the same signature and footer as the HTML part. */
export function renderText(paragraphs: readonly string[]): string {
  return [
    ...paragraphs,
    'À très vite,\nL’équipe GirlyCrea',
    '--\nGirlyCrea · bijoux, accessoires et petits cadeaux\nCet e-mail vous est envoyé suite à une action sur votre compte ou une commande sur notre boutique.',
  ].join('\n\n') + '\n';
}
