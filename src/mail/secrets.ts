import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { GuanxiError } from '../errors.ts';

/**
 * The two uses of ENCRYPTION_KEY, each with its own key derived from it
 * (HKDF), so a leak of one use says nothing of the other.
 */
export interface Secrets {
  /** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url. */
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** A signed, expiring token that carries `payload` through a browser round trip (OAuth state). */
  sign(payload: Record<string, string>, expiresAt: Date): string;
  /** The payload, or null if the token was altered or has expired. */
  verify(token: string, now: Date): Record<string, string> | null;
}

export function secretsFrom(encryptionKey: string): Secrets {
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', encryptionKey, 'guanxi', use, 32));
  const sealKey = derive('mailbox refresh tokens');
  const signKey = derive('oauth state');
  const mac = (data: string) => createHmac('sha256', signKey).update(data).digest();
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    decrypt(token) {
      const [version, iv, tag, sealed] = token.split('.');
      try {
        if (version !== 'v1' || !iv || !tag || !sealed) throw new Error('not a sealed value');
        const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new GuanxiError('config_invalid', 'A stored mailbox grant cannot be decrypted: ENCRYPTION_KEY is not the key it was stored with. Restore the old key, or have the rep reconnect the mailbox.', { cause: error });
      }
    },
    sign(payload, expiresAt) {
      const body = Buffer.from(JSON.stringify({ ...payload, exp: String(expiresAt.getTime()) })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token, now) {
      const [body, signature] = token.split('.');
      if (!body || !signature) return null;
      const expected = mac(body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const { exp, ...payload } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, string>;
      return Number(exp) > now.getTime() ? payload : null;
    },
  };
}
