import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/** Whether `key` is 32 bytes written in base64 or base64url (`openssl rand -base64 32`). */
export function isSecretKey(key: string): boolean {
  return /^[A-Za-z0-9+/_-]{43}=?$/.test(key) && Buffer.from(key, 'base64').length === 32;
}

/**
 * AES-256-GCM with one key from configuration: `seal` gives `v1.<iv>.<tag>.<ciphertext>` (base64url),
 * bound to `context` (the row it belongs to, so a sealed value copied to another row does not open);
 * `open` throws when the value was altered, belongs elsewhere, or was sealed with another key.
 */
export function createSecretBox(key: string) {
  if (!isSecretKey(key)) throw new Error('clé de chiffrement invalide : 32 octets en base64 attendus');
  const secret = Buffer.from(key, 'base64');
  return {
    seal(plain: string, context: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secret, iv).setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed: string, context: string): string {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || !body) throw new Error('secret chiffré illisible');
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('secret chiffré impossible à ouvrir : altéré, ou TOTP_ENCRYPTION_KEY n’est plus la clé qui l’a chiffré');
      }
    },
  };
}

/** Seals and opens secrets stored in the database. */
export type SecretBox = ReturnType<typeof createSecretBox>;
