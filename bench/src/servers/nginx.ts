import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAll, writeRendered } from '@girlycrea/infra';
import { makeCertificate, testSite } from '@girlycrea/infra/testing';
import { waitForPort } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { childEnv, startService, type Service } from '../process.js';

/**
 * Nginx from the VPS's rendered configuration (TLS, HTTP/2, micro-cache on) in front of the bench's
 * API and storefront, as a shopper reaches them. Its files live in a folder under `tempDir`.
 */
export async function startNginx(cleanup: Cleanup, ports: { api: number; web: number }, tempDir: string): Promise<{ origin: string; service: Service; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tempDir, 'nginx-'));
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
