import type { CacheStore } from '@girlycrea/cache';
import { AppError } from '../../http/errors.js';

/** Failures allowed freely, then one attempt per lock whose length doubles from `baseLockMs` up to `maxLockMs`. */
export interface BackoffRule {
  free: number;
  baseLockMs: number;
  maxLockMs: number;
  /** The failure count is forgotten this long after its first failure. */
  forgetMs: number;
}

/** The limits of sign-in attempts (README, "Sécurité"). */
export interface LoginLimits {
  /** One e-mail from one IP: the attacker's own guesses. */
  emailIp: BackoffRule;
  /** One IP, every e-mail: password spraying from one machine. */
  ip: BackoffRule;
  /**
   * Failures for one e-mail from every IP within `windowMs`: past `ceiling`, only IPs that have
   * signed in to the account before may still try (the owner is never locked out by strangers).
   */
  email: { ceiling: number; windowMs: number };
  /** How long an IP stays known to an account after a successful sign-in. */
  knownIpMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Defaults: an IP throttled on one e-mail gets about 10 guesses an hour, so the per-e-mail ceiling needs 10+ IPs an hour to reach. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  emailIp: { free: 5, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE, forgetMs: HOUR },
  ip: { free: 20, baseLockMs: MINUTE, maxLockMs: HOUR, forgetMs: HOUR },
  email: { ceiling: 100, windowMs: HOUR },
  knownIpMs: 30 * 24 * HOUR,
};

/** One sign-in attempt admitted by the throttle: tell it how it ended. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

const tooMany = (ms: number) => {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return new AppError('rate_limited', `Trop de tentatives de connexion : réessayez dans ${seconds} s, ou réinitialisez votre mot de passe.`, {
    retryAfterSeconds: seconds,
  });
};

/**
 * Sign-in throttling that strangers cannot turn against a customer: failures are counted per
 * (e-mail, IP) and per IP with exponential backoff, and per e-mail only up to a ceiling that spares
 * the IPs the customer has signed in from. Counters live in the shared cache (every process sees them).
 */
export function createLoginThrottle(cache: CacheStore, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  /** A backoff counter: `n` counts failures, `lock` is held while the next attempt must wait. */
  function counter(scope: string, id: string, rule: BackoffRule) {
    const n = `login:${scope}:${id}:n`;
    const lock = `login:${scope}:${id}:lock`;
    return {
      async waitMs(): Promise<number> {
        return Math.max(0, await cache.pttl(lock));
      },
      /**
       * Counts this attempt before it runs (so parallel attempts cannot all slip through); past the
       * free ones an attempt runs only if it takes the lock, which then makes the next one wait.
       */
      async admit(): Promise<{ admitted: boolean; tookLock: boolean }> {
        const count = await cache.incr(n, rule.forgetMs);
        if (count < rule.free) return { admitted: true, tookLock: false };
        const lockMs = Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** Math.min(count - rule.free, 20));
        const { written } = await cache.hset(lock, 'n', String(count), { ttlMs: lockMs, when: 'missing' });
        if (!written) await cache.decr(n);
        return { admitted: written, tookLock: written };
      },
      async giveBack(tookLock: boolean): Promise<void> {
        await cache.decr(n);
        if (tookLock) await cache.del(lock);
      },
      async clear(): Promise<void> {
        await cache.del(n, lock);
      },
    };
  }

  return {
    /** Admits one attempt, or throws 429 rate_limited with the wait in Retry-After. */
    async begin(email: string, ip: string): Promise<LoginAttempt> {
      const pair = counter('email-ip', `${email}|${ip}`, limits.emailIp);
      const byIp = counter('ip', ip, limits.ip);
      const failures = `login:email:${email}:failures`;
      const known = `login:email:${email}:known-ips`;

      const wait = Math.max(await pair.waitMs(), await byIp.waitMs());
      if (wait > 0) throw tooMany(wait);
      const emailFailures = Number((await cache.get(failures)) ?? 0);
      if (emailFailures >= limits.email.ceiling && !(await cache.smembers(known)).includes(ip)) {
        throw tooMany(Math.max(1000, await cache.pttl(failures)));
      }

      const ipTurn = await byIp.admit();
      if (!ipTurn.admitted) throw tooMany(await byIp.waitMs());
      const pairTurn = await pair.admit();
      if (!pairTurn.admitted) {
        await byIp.giveBack(ipTurn.tookLock);
        throw tooMany(await pair.waitMs());
      }
      return {
        async succeeded() {
          await Promise.all([pair.clear(), byIp.giveBack(ipTurn.tookLock), cache.sadd(known, [ip], limits.knownIpMs)]);
        },
        async failed() {
          await cache.incr(failures, limits.email.windowMs);
        },
      };
    },
  };
}

/** The sign-in throttle of one cache. */
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
