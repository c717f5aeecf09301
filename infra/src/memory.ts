import type { Site } from './site.js';

// The machine's RAM split, in one place: the renderers take their numbers from here and `infra check`
// re-adds what the rendered files say against the same RAM.

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** RAM left to the kernel, sshd, Nginx, Postfix and the page cache's floor: 5 % of RAM, at least 256 MB. */
export function osReserveMb(site: Site): number {
  return Math.max(256, Math.round(site.machine.ramMb * 0.05));
}

/** PostgreSQL's shared_buffers: 25 % of RAM (the usual start on a dedicated box), 128 MB to 16 GB. */
export function sharedBuffersMb(site: Site): number {
  return clamp(site.machine.ramMb * 0.25, 128, 16_384);
}

/** PostgreSQL's wal_buffers: what `-1` would pick (1/32 of shared_buffers, at most 16 MB), written out so check can add it. */
export function walBuffersMb(site: Site): number {
  return clamp(sharedBuffersMb(site) / 32, 1, 16);
}

/** Each Redis instance's maxmemory: 4 % of RAM, 64 MB to 4 GB (sessions, carts and cached bodies are small). */
export function redisMaxMemoryMb(site: Site): number {
  return clamp(site.machine.ramMb * 0.04, 64, 4096);
}

/** What PM2 lets the Node processes grow to before restarting them (max_memory_restart). */
export function pm2MemoryCapsMb(site: Site): number {
  return site.api.workers * site.api.memoryMb + site.web.instances * site.web.memoryMb + site.worker.memoryMb;
}
