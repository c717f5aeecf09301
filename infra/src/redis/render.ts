import { join } from 'node:path';
import { redisMaxMemoryMb } from '../memory.js';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';

/** The two instances (ARCHITECTURE.md): Debian's `redis-server@<name>` unit reads /etc/redis/redis-<name>.conf. */
export const REDIS_INSTANCES = ['state', 'cache'] as const;
export type RedisInstance = (typeof REDIS_INSTANCES)[number];

/** The ACL user the API and the worker log in as. */
export const REDIS_APP_USER = 'girlycrea';
/** The ACL user for the operator and the exporter (INFO, CONFIG, SLOWLOG). */
export const REDIS_ADMIN_USER = 'admin';

/** Port, files and ACL file of one instance. */
export function redisInstance(site: Site, name: RedisInstance): { port: number; conf: string; aclFile: string; dir: string; pidFile: string; logFile: string } {
  return {
    port: name === 'state' ? site.redis.statePort : site.redis.cachePort,
    conf: join(site.paths.etc, 'redis', `redis-${name}.conf`),
    aclFile: join(site.paths.etc, 'redis', `girlycrea-${name}.acl`),
    dir: join(site.redis.dataDir, name),
    pidFile: join(site.redis.runDir, `redis-${name}`, 'redis-server.pid'),
    logFile: join(site.redis.logDir, `redis-server-${name}.log`),
  };
}

/**
 * `etc/redis/redis-state.conf` (AOF every second, noeviction: a full state instance refuses writes
 * loudly) and `etc/redis/redis-cache.conf` (allkeys-lru, nothing on disk). Both on loopback, with the
 * default user off: the ACL file (provisioning writes it from the env file) names the only users.
 */
export function renderRedis(site: Site): RenderedFile[] {
  const maxMemory = redisMaxMemoryMb(site);
  return REDIS_INSTANCES.map((name) => {
    const instance = redisInstance(site, name);
    const portField = name === 'state' ? 'site.redis.statePort' : 'site.redis.cachePort';
    const persistence =
      name === 'state'
        ? `# Sessions, carts and rate limits survive a restart: append-only file, fsync'd every second.
appendonly yes
appendfsync everysec
appenddirname "appendonlydir"
aof-use-rdb-preamble yes
auto-aof-rewrite-percentage 100
auto-aof-rewrite-min-size 64mb
# A snapshot too (for backups), rarely.
save 3600 1 300 1000
stop-writes-on-bgsave-error yes
# When full, writes fail (OOM error) instead of silently dropping a session or a rate-limit counter.
maxmemory-policy noeviction`
        : `# Response bodies only: nothing on disk, the least recently used key goes when full.
appendonly no
save ""
maxmemory-policy allkeys-lru
maxmemory-samples 10`;
    const content = `${header('#', `Redis 7 "${name}" instance of the shop (systemd: redis-server@${name}).`)}bind 127.0.0.1 -::1
protected-mode yes
# ${portField}
port ${instance.port}
tcp-backlog 511
timeout 0
tcp-keepalive 300
daemonize no
# site.redis.runDir
pidfile ${instance.pidFile}
loglevel notice
# site.redis.logDir
logfile ${instance.logFile}
# site.redis.dataDir
dir ${instance.dir}
databases 16

# Redis takes no comment after a value: each value's source is on the line above it.

# Users: "default" is off, so nothing runs without a password (the ACL file holds their SHA-256).
# site.paths.etc
aclfile ${instance.aclFile}

# 4 % of site.machine.ramMb, 64mb..4gb
maxmemory ${maxMemory}mb
${persistence}

# Commands slower than 10 ms are kept for SLOWLOG GET.
slowlog-log-slower-than 10000
slowlog-max-len 256
latency-monitor-threshold 100
`;
    return { path: `etc/redis/redis-${name}.conf`, content, mode: 0o640, owner: 'redis' };
  });
}
