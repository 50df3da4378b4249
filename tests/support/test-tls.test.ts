import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getCACertificates } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCaPath, testTls } from './test-tls.ts';

describe('the test certificate authority', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(testTls, (_req, res) => res.end('trusted'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is handed to every test process at start', () => {
    expect(process.env.NODE_EXTRA_CA_CERTS).toBe(testCaPath);
    const ca = new X509Certificate(testTls.ca);
    expect(getCACertificates('extra').some((pem) => new X509Certificate(pem).fingerprint256 === ca.fingerprint256)).toBe(true);
  });

  it('signs a certificate for 127.0.0.1 and localhost that outlives the project', () => {
    const cert = new X509Certificate(testTls.cert);
    expect(cert.verify(new X509Certificate(testTls.ca).publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(new Date(cert.validTo).getUTCFullYear()).toBeGreaterThan(2100);
  });

  it('is trusted by fetch in the test process without any TLS option', async () => {
    const response = await fetch(url);
    expect(await response.text()).toBe('trusted');
  });

  it('is trusted by a process the test spawns', async () => {
    const script = `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => process.stdout.write(t), (e) => { process.stdout.write(String(e.cause?.code ?? e)); process.exitCode = 1; })`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    expect(stdout).toBe('trusted');
  });
});
