// `npm run infra -- <command>`: every operator command of the VPS. Each command lives in its own
// module; this file only dispatches and turns a thrown error into a message and exit code 1.
import { backupCommand } from './commands/backup.js';
import { checkCommand } from './commands/check.js';
import { deployCommand } from './commands/deploy.js';
import { dkimKeyCommand } from './commands/dkim-key.js';
import { dnsCommand } from './commands/dns.js';
import { migrateLegacyCommand } from './commands/migrate-legacy.js';
import { pgbouncerExporterCommand } from './commands/pgbouncer-exporter.js';
import { provisionCommand } from './commands/provision.js';
import { renderCommand } from './commands/render.js';
import { smokeCommand } from './commands/smoke.js';
import { startCommand } from './commands/start.js';

/** One operator command: a line of help and what it runs with the remaining arguments. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
}

const commands: Record<string, Command> = {
  render: renderCommand,
  check: checkCommand,
  provision: provisionCommand,
  backup: backupCommand,
  start: startCommand,
  deploy: deployCommand,
  'migrate-legacy': migrateLegacyCommand,
  smoke: smokeCommand,
  'pgbouncer-exporter': pgbouncerExporterCommand,
  dns: dnsCommand,
  'dkim-key': dkimKeyCommand,
};

function help(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(14)} ${command.summary}\n  ${' '.repeat(14)} ${command.usage}`);
  return `Usage : npm run infra -- <commande> [options]\n\n${lines.join('\n')}\n`;
}

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(name && name !== '--help' ? `Commande inconnue : ${name}\n\n${help()}` : help());
  process.exit(name && name !== '--help' ? 2 : 0);
}
try {
  await command.run(args);
} catch (error) {
  process.stderr.write(`\n✗ ${(error as Error).message}\n`);
  process.exit(1);
}
