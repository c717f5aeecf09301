// @ts-check
// The storefront's production server under PM2, instead of `next start`: Next's own signal handler
// exits at once (requests in flight are cut, exit code 130/143). This one tells PM2 it is ready once
// listening (wait_ready), drains like the API on SIGINT/SIGTERM, then exits 0.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gracefulServer } from '@girlycrea/observability/graceful';
import next from 'next';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);

const app = next({ dev: false, dir: fileURLToPath(new URL('.', import.meta.url)), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = createServer((req, res) => void handle(req, res));
// Outlive Nginx's upstream keep-alive so it never reuses a socket Node just closed.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const graceful = gracefulServer(server);
server.listen(port, hostname, () => {
  console.log(`vitrine prête sur http://${hostname}:${port}`);
  process.send?.('ready');
});

/** @param {string} signal */
async function stop(signal) {
  console.log(`${signal} : fin des requêtes en cours`);
  const { forced } = await graceful.close(shutdownTimeoutMs);
  if (forced) console.warn('arrêt forcé : des requêtes duraient encore');
  process.exit(0);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
