import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What an answer link names: which poll, and who it was sent to. */
export interface LinkClaims {
  pollId: string;
  respondent: string;
}

export type ReadLink = { ok: true; claims: LinkClaims } | { ok: false; why: 'forged' | 'expired'; expiredAt?: Date };

export interface PollLinks {
  /** `PUBLIC_URL/p/<token>`: signed, naming the poll and the recipient, good until `expiresAt`. */
  url(claims: LinkClaims, expiresAt: Date): string;
  /** Checks a token from a link: its signature first, then its expiry. */
  read(token: string, now: Date): ReadLink;
}

/**
 * Answer links carry their own proof: an HMAC-SHA256 over the poll, the
 * recipient and the expiry, with a key derived (HKDF) from ENCRYPTION_KEY for
 * this use alone. Nothing else is needed to trust a click, and a link altered
 * in any way (another poll, another recipient, a later expiry) is refused.
 */
export function pollLinks(encryptionKey: string, publicUrl: string): PollLinks {
  const key = Buffer.from(hkdfSync('sha256', encryptionKey, 'guanxi', 'poll answer links', 32));
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  return {
    url({ pollId, respondent }, expiresAt) {
      const body = Buffer.from(JSON.stringify({ p: pollId, r: respondent, e: expiresAt.getTime() })).toString('base64url');
      return `${publicUrl}/p/${body}.${mac(body).toString('base64url')}`;
    },
    read(token, now) {
      const [body, signature, ...extra] = token.split('.');
      if (!body || !signature || extra.length > 0) return { ok: false, why: 'forged' };
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'forged' };
      const { p, r, e } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { p: string; r: string; e: number };
      if (e <= now.getTime()) return { ok: false, why: 'expired', expiredAt: new Date(e) };
      return { ok: true, claims: { pollId: p, respondent: r } };
    },
  };
}
