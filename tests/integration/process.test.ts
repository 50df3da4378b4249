import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../support/service-process.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** `npm run crm -- …` */
function crm(dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['src/cli/main.ts', ...args], { cwd: root, env: { PATH: process.env['PATH'], DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('the service as an operator runs it', () => {
  let dataDir: string;
  const running: ChildProcess[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-process-'));
  });
  afterEach(async () => {
    for (const child of running.splice(0)) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with nothing configured, says what is off and how to turn it on, serves /healthz and stops cleanly', async () => {
    const service = startService({ PORT: '0', DATA_DIR: dataDir });
    running.push(service.child);
    const url = await service.ready;

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', store: 'lowdb', slack: 'off', gmail: 'off', outlook: 'off' });
    expect(service.output().stdout).toContain('Slack: off');
    expect(service.output().stdout).toContain('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN');

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await expect(readFile(join(dataDir, 'guanxi.lock'))).rejects.toThrow();
  });

  it('refuses a second process on the same data folder, saying which one holds it', async () => {
    const first = startService({ PORT: '0', DATA_DIR: dataDir });
    running.push(first.child);
    await first.ready;
    const second = startService({ PORT: '0', DATA_DIR: dataDir });
    running.push(second.child);
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toContain(`pid ${first.child.pid}`);
    const terminal = await crm(dataDir, 'find', 'acme');
    expect(terminal.code).toBe(1);
    expect(terminal.out).toContain(`pid ${first.child.pid}`);
  });

  it('reports a hand-edited record that is not valid, with its file and record, and leaves the file as it was', async () => {
    await mkdir(dataDir, { recursive: true });
    const broken = JSON.stringify([
      { id: 'cus_1', name: 'Acme Corp', domains: ['acme.com'], ownerId: null, createdAt: '2026-01-05T10:00:00.000Z', createdBy: 'U1' },
      { id: 'cus_2', name: 'Globex', domains: ['globex com'], ownerId: null, createdAt: '2026-01-05T10:00:00.000Z', createdBy: 'U1' },
    ]);
    await writeFile(join(dataDir, 'customers.json'), broken);

    const service = startService({ PORT: '0', DATA_DIR: dataDir });
    running.push(service.child);

    expect(await service.exited).toBe(1);
    const { stderr } = service.output();
    expect(stderr).toContain('customers.json');
    expect(stderr).toContain('cus_2');
    expect(stderr).toContain('domains.0');
    expect(await readFile(join(dataDir, 'customers.json'), 'utf8')).toBe(broken);
  });

  it('names a bad variable and how to fix it', async () => {
    const service = startService({ PORT: '0', DATA_DIR: dataDir, TZ_DEFAULT: 'Mars/Olympus', SLACK_BOT_TOKEN: 'abc' });
    running.push(service.child);
    expect(await service.exited).toBe(1);
    const { stderr } = service.output();
    expect(stderr).toContain('TZ_DEFAULT must be an IANA time zone name such as Europe/Paris');
    expect(stderr).toContain('SLACK_BOT_TOKEN must be the bot token');
  });

  it('answers the same commands in the terminal, as text', async () => {
    expect((await crm(dataDir, 'add', 'customer', 'Acme Corp', 'acme.com')).out).toContain('Added customer Acme Corp (acme.com).');
    expect((await crm(dataDir, 'log', 'acme', 'call', 'Talked pricing, sending a quote Friday')).code).toBe(0);
    const card = await crm(dataDir, 'find', 'acme.com');
    expect(card.code).toBe(0);
    expect(card.out).toMatch(/^Acme Corp\nDomains: acme.com\n/);
    expect(card.out).toContain('Talked pricing, sending a quote Friday');
    expect(card.out).not.toContain('*');
    expect((await crm(dataDir, 'log', 'acme')).out).toContain('Usage: /crm log <customer> <call|meeting|note> <text>');
  });
});
