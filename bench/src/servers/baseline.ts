import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { BENCH_DIR } from '../paths.js';
import { onCpu } from '../pinning.js';
import { childEnv, startService, waitForHttp, type Service } from '../process.js';

const SCRIPT = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));
// The headers that describe the body; the API's other headers (helmet, request id) are its own cost.
const KEPT_HEADERS = ['content-type', 'etag', 'cache-control'];

/** Fetches `url` and starts a bare node:http server answering exactly its body bytes (on `cpu`, when given). */
export async function startBaseline(cleanup: Cleanup, url: string, tempDir: string, cpu?: number): Promise<{ origin: string; service: Service; bytes: number; stop: () => Promise<void> }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} a répondu ${response.status}`);
  const body = await response.text();
  const headers = Object.fromEntries(KEPT_HEADERS.flatMap((name) => {
    const value = response.headers.get(name);
    return value === null ? [] : [[name, value]];
  }));
  const file = join(tempDir, 'baseline-response.json');
  await writeFile(file, JSON.stringify({ body, headers }));
  const port = await freePort();
  const service = startService('baseline node:http', ...onCpu(cpu, process.execPath, ['--import', 'tsx', SCRIPT, file, String(port)]), {
    cwd: BENCH_DIR,
    env: childEnv({ NODE_ENV: 'production' }),
  });
  const stop = cleanup.defer('baseline', () => service.stop());
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/`, service);
  return { origin, service, bytes: Buffer.byteLength(body), stop };
}
