import { Router, type Request } from 'express';
import { z } from 'zod';
import { CapturedMailError, listCapturedMail, readCapturedMail, type CapturedMailSummary } from '@girlycrea/mailer';
import { AppError } from '../../http/errors.js';
import { parse } from '../../http/validate.js';

const MailParams = z.object({ file: z.string().regex(/^[A-Za-z0-9._-]+\.eml$/, 'nom de fichier invalide') });

// A captured message may hold anything: it runs no script, submits nothing, and loads images only.
const MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; sandbox allow-popups allow-popups-to-escape-sandbox";
const INBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A browser asking for a page (tools and tests ask for JSON, or for anything). */
const wantsHtml = (req: Request) => req.accepts(['json', 'html']) === 'html';

function inboxPage(items: CapturedMailSummary[]): string {
  const rows = items
    .map(
      (item) =>
        `<tr><td>${escapeHtml(new Date(item.date).toLocaleString('fr-FR'))}</td><td>${escapeHtml(item.to)}</td>` +
        `<td><a href="/api/dev/mail/${encodeURIComponent(item.file)}">${escapeHtml(item.subject || '(sans objet)')}</a></td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>E-mails capturés (${items.length})</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#3b2a38}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eadde6;overflow-wrap:anywhere}a{color:#a3386b}</style></head>
<body><h1>E-mails capturés en développement</h1><p>${items.length} message(s), le plus récent d’abord. JSON : <code>Accept: application/json</code>.</p>
${items.length ? `<table><thead><tr><th>Date</th><th>À</th><th>Objet</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>Aucun e-mail pour l’instant.</p>'}
</body></html>`;
}

/** Development only: the e-mails captured under `.data/mail/` instead of being sent (HTML for a browser, JSON otherwise). */
export function devMailRoutes(captureDir: string): Router {
  const router = Router();
  router.get('/dev/mail', async (req, res) => {
    const items = await listCapturedMail(captureDir);
    res.setHeader('Cache-Control', 'no-store').vary('Accept');
    if (wantsHtml(req)) res.setHeader('Content-Security-Policy', INBOX_CSP).type('html').send(inboxPage(items));
    else res.json({ items });
  });
  router.get('/dev/mail/:file', async (req, res) => {
    const { file } = parse(MailParams, req.params);
    const mail = await readCapturedMail(captureDir, file).catch((error: unknown) => {
      if (error instanceof CapturedMailError) throw new AppError('not_found', 'E-mail introuvable.');
      throw error;
    });
    res.setHeader('Cache-Control', 'no-store').vary('Accept');
    if (wantsHtml(req)) res.setHeader('Content-Security-Policy', MESSAGE_CSP).type('html').send(mail.html || `<pre>${escapeHtml(mail.text)}</pre>`);
    else res.json({ ...mail, raw: undefined });
  });
  return router;
}
