import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Site } from '../site.js';
import { mailFiles } from './files.js';

/** What `ensureDkimKey` did. */
export interface DkimKey {
  file: string;
  created: boolean;
  /** The public key, base64 DER (SubjectPublicKeyInfo): the `p=` of the DNS record. */
  publicKey: string;
}

/** The `p=` value of a DKIM record: the public half of a PEM private key, base64 DER (SPKI). */
export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' }).toString('base64');
}

function uidOf(user: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * Makes the site's 2048-bit DKIM key once and keeps it: an existing key is never replaced (its public
 * half is in DNS). The file is readable by site.mail.dkimUser only (OpenDKIM refuses unsafe keys).
 */
export async function ensureDkimKey(site: Site, options: { dryRun?: boolean } = {}): Promise<DkimKey> {
  const file = mailFiles(site).privateKey;
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return { file, created: false, publicKey: publicKeyOf(existing) };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  if (options.dryRun) return { file, created: true, publicKey: publicKeyOf(pem) };
  // keys/ stays traversable; the domain's folder and the key belong to OpenDKIM alone.
  await mkdir(dirname(mailFiles(site).keyDir), { recursive: true, mode: 0o755 });
  await mkdir(mailFiles(site).keyDir, { recursive: true, mode: 0o750 });
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  const owner = uidOf(site.mail.dkimUser);
  if (owner && process.getuid?.() === 0) {
    await chown(mailFiles(site).keyDir, owner.uid, owner.gid);
    await chown(file, owner.uid, owner.gid);
  }
  return { file, created: true, publicKey: publicKeyOf(pem) };
}
