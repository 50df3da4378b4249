import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * A stand-in for Google's token-signing keys: an RSA pair made on the spot,
 * RS256 JWTs with a `kid` header, and the public half in the two forms Google
 * publishes (PEM map at oauth2/v1/certs, JWKS at oauth2/v3/certs).
 *
 * Under Node, google-auth-library verifies with the PEM form only: it picks
 * `certs[header.kid]` and hands the string to `crypto.createVerify`. A public
 * key PEM is accepted there (its `PublicKeys` type); Google's own endpoint
 * serves X.509 certificates, which Node accepts the same way.
 */
export interface GoogleSigningKeys {
  readonly kid: string;
  /** `{[kid]: PEM}`: the `certs` of `OAuth2Client.verifySignedJwtWithCertsAsync`, and the body of oauth2/v1/certs. */
  readonly certs: Record<string, string>;
  /** The body of oauth2/v3/certs. */
  readonly jwks: { keys: Array<Record<string, unknown>> };
  /** An RS256 JWT over `claims`, as-is (no defaults added). */
  sign(claims: Record<string, unknown>): string;
}

export function createGoogleSigningKeys(): GoogleSigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(20).toString('hex');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    certs: { [kid]: pem },
    jwks: { keys: [jwk] },
    sign(claims) {
      const header = base64url({ alg: 'RS256', kid, typ: 'JWT' });
      const signed = `${header}.${base64url(claims)}`;
      const signature = createSign('RSA-SHA256').update(signed).sign(privateKey).toString('base64url');
      return `${signed}.${signature}`;
    },
  };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
