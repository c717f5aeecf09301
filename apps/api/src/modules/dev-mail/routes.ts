import { Router } from 'express';
import { z } from 'zod';
import { CapturedMailError, listCapturedMail, readCapturedMail } from '@girlycrea/mailer';
import { AppError } from '../../http/errors.js';
import { parse } from '../../http/validate.js';

const MailParams = z.object({ file: z.string().regex(/^[A-Za-z0-9._-]+\.eml$/, 'nom de fichier invalide') });

/** Development only: the e-mails captured under `.data/mail/` instead of being sent. */
export function devMailRoutes(captureDir: string): Router {
  const router = Router();
  router.get('/dev/mail', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store').json({ items: await listCapturedMail(captureDir) });
  });
  router.get('/dev/mail/:file', async (req, res) => {
    const { file } = parse(MailParams, req.params);
    const mail = await readCapturedMail(captureDir, file).catch((error: unknown) => {
      if (error instanceof CapturedMailError) throw new AppError('not_found', 'E-mail introuvable.');
      throw error;
    });
    res.setHeader('Cache-Control', 'no-store').json({ ...mail, raw: undefined });
  });
  return router;
}
