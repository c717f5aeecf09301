import type { Command } from '../cli.js';
import { readMigrateEnv } from '../migrate/config.js';
import { smoke } from '../migrate/smoke.js';

/** `smoke URL`: the non-destructive end-to-end check of a live shop (SMOKE_EMAIL / SMOKE_PASSWORD for the sign-in). */
export const smokeCommand: Command = {
  summary: 'vérifie de bout en bout une boutique en ligne, sans rien commander',
  usage: 'smoke https://boutique [SMOKE_EMAIL et SMOKE_PASSWORD : compte de test]',
  async run(args) {
    const [url] = args;
    if (!url || !/^https?:\/\//.test(url)) throw new Error(`indiquez l'adresse de la boutique : npm run smoke -- https://girlycrea.fr`);
    const env = readMigrateEnv();
    const account = env.SMOKE_EMAIL && env.SMOKE_PASSWORD ? { email: env.SMOKE_EMAIL, password: env.SMOKE_PASSWORD } : null;
    const steps = await smoke(url, account, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`Boutique ${url} : ${steps.length} étapes réussies.\n`);
  },
};
