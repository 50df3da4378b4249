import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Test-only keys: the server key below and the CA (whose key was discarded) secure nothing but loopback test servers.
const folder = fileURLToPath(new URL('./certs/', import.meta.url));

/** The test CA's certificate; vitest.config.ts hands its path to every test process as NODE_EXTRA_CA_CERTS. */
export const testCaPath = `${folder}ca.crt`;

/**
 * Key and certificate for a server on 127.0.0.1, localhost or ::1, signed by
 * the test CA (certs/make-certs.sh): pass to `https.createServer(testTls, …)`.
 */
export const testTls = {
  key: readFileSync(`${folder}server.key`, 'utf8'),
  cert: readFileSync(`${folder}server.crt`, 'utf8'),
  ca: readFileSync(testCaPath, 'utf8'),
};
