import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAll, writeRendered } from '@girlycrea/infra';
import { makeCertificate, testSite } from '@girlycrea/infra/testing';
import { waitForPort } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { childEnv, startService, type Service } from '../process.js';

/**
 * Nginx from the VPS's rendered configuration (TLS, HTTP/2, micro-cache on) in front of the bench's
 * API and storefront, as a shopper reaches them.
 */
export async function startNginx(cleanup: Cleanup, ports: { api: number; web: number }): Promise<{ origin: string; service: Service; stop: () => Promise<void> }> {
  // Its own folder right under /tmp: Nginx's workers (www-data) cannot cross the bench's private temp folder.
  const dir = await mkdtemp(join(tmpdir(), 'gc-bench-nginx-'));
  cleanup.defer('fichiers de nginx', () => rm(dir, { recursive: true, force: true }));
  const site = await testSite(dir, { api: { port: ports.api }, web: { port: ports.web } });
  await makeCertificate(site);
  await writeRendered(dir, renderAll(site));
  const service = startService('nginx', 'nginx', ['-e', join(dir, 'nginx-logs/startup.log'), '-c', join(dir, 'etc/nginx/nginx.conf'), '-g', 'daemon off;'], {
    cwd: dir,
    env: childEnv({}),
  });
  const stop = cleanup.defer('nginx', () => service.stop());
  await waitForPort(site.nginx.httpsPort);
  return { origin: `https://127.0.0.1:${site.nginx.httpsPort}`, service, stop };
}
