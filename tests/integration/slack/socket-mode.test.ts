import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../../../adapters/server.ts';
import { loadConfig } from '../../../src/config.ts';
import { FixedClock } from '../../support/fixed-clock.ts';
import { buttons, MemoryLog, people, readBlocks } from '../../support/guanxi.ts';
import { fakeWorkspace, startSlackFake, type SlackFake } from '../../support/slack-fake.ts';
import { newTriggerId } from '../../support/slack-requests.ts';

/**
 * The real server with SLACK_APP_TOKEN set: no public URL, Bolt's
 * SocketModeReceiver dials the fake Slack, which delivers `/crm` over the
 * WebSocket instead of POSTing it (PLATFORMS.md A2, A5).
 */
describe('/crm over Socket Mode', () => {
  let fake: SlackFake;
  let server: Server;
  let dataDir: string;
  let log: MemoryLog;

  beforeEach(async () => {
    log = new MemoryLog();
    const clock = new FixedClock('2026-12-02T17:00:00Z');
    fake = await startSlackFake({ users: Object.values(people), clock });
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-socket-'));
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      SLACK_APP_TOKEN: fakeWorkspace.appToken,
      SLACK_BOT_TOKEN: fakeWorkspace.botToken,
      SLACK_API_URL: fake.apiUrl,
    });
    server = await startServer(config, { clock, log });
    await fake.waitForSocket();
  });

  afterEach(async () => {
    await server.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Sends `/crm <text>` over the socket; resolves with the ack and the reply: the ack's payload, or else what reached the response_url. */
  async function crm(userId: string, text: string) {
    const responseUrl = fake.responseUrl();
    const ack = await fake.socket.send('slash_commands', slashCommandPayload(userId, text, responseUrl));
    const inAck = ack.payload !== undefined && Object.keys(ack.payload).length > 0;
    const reply = inAck ? { body: ack.payload as Record<string, unknown> } : await fake.waitForResponse((post) => post.url === responseUrl);
    return { ack, reply };
  }

  it('connects with the app token, then answers a slash command over the socket in its ack', async () => {
    expect(fake.socket.connections).toBe(1);
    expect(fake.callsTo('apps.connections.open').map((call) => call.token)).toEqual([fakeWorkspace.appToken]);
    // Bolt's check of the token, then guanxi's reading of its scopes.
    expect(fake.callsTo('auth.test').map((call) => call.token)).toEqual([fakeWorkspace.botToken, fakeWorkspace.botToken]);

    const added = await crm(people.ana.id, 'add customer "Acme Corp" acme.com');

    expect(added.ack.envelope_id).toMatch(/\S/);
    expect(added.ack.payload).toBe(added.reply.body); // the answer is ready at once, so it comes with the ack
    expect(fake.responses).toEqual([]);
    expect(added.reply.body['response_type']).toBe('ephemeral');
    expect(added.reply.body['text']).toContain('Added customer *Acme Corp* (acme.com)');
    expect((await server.core.store.customers.list()).map((c) => c.name)).toEqual(['Acme Corp']);

    const found = await crm(people.bo.id, 'find acme');

    const card = readBlocks(found.reply.body['blocks']);
    expect(card).toContain('Acme Corp');
    expect(card).toContain('acme.com');
    expect(buttons(found.reply.body['blocks']).map((b) => b.text)).toEqual(['Log a call', 'Set a reminder', 'Share in channel']);
    expect(log.lines.filter((line) => !line.startsWith('info'))).toEqual([]);
  });

  it('still serves /healthz over HTTP, reporting slack "socket", and serves no /slack/events', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', slack: 'socket' });

    const events = await fetch(`${server.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'url_verification', token: 'fake-verification-token', challenge: 'c' }),
    });
    expect(events.status).toBe(404);
  });

  it('closes its socket when the server stops', async () => {
    const closed = fake.socket.waitForDisconnect();

    await server.stop();

    expect(await closed).toMatchObject({ code: 1000 });
    expect(fake.socket.connections).toBe(0);
    server = { ...server, stop: async () => {} }; // already stopped; afterEach must not stop it twice
  });
});

describe("the Slack fake's Socket Mode endpoint", () => {
  it('hands a ws:// URL to the app token only, and lets each URL be used once', async () => {
    const fake = await startSlackFake();
    try {
      const open = async (token: string) =>
        (await (await fetch(`${fake.apiUrl}apps.connections.open`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, string>;

      expect(await open(fakeWorkspace.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
      expect(await open('xapp-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
      const { url } = await open(fakeWorkspace.appToken);
      expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[^&]+&app_id=${fakeWorkspace.appId}$`));

      const first = new WebSocket(url!);
      const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
        first.onmessage = (event) => resolve(JSON.parse(String(event.data)));
        first.onerror = () => reject(new Error('the first use of the URL was refused'));
      });
      expect(hello).toMatchObject({ type: 'hello', connection_info: { app_id: fakeWorkspace.appId } });
      await fake.waitForSocket();
      const second = new WebSocket(url!);
      await new Promise<void>((resolve, reject) => {
        second.onerror = () => resolve();
        second.onopen = () => reject(new Error('a used ticket opened a second connection'));
      });
      const closed = fake.socket.waitForDisconnect();
      first.close(1000);
      expect(await closed).toMatchObject({ code: 1000 });
    } finally {
      await fake.close();
    }
  });
});

describe('Socket Mode with an app token Slack refuses', () => {
  it('fails the start with Slack\'s reason instead of retrying forever', async () => {
    const fake = await startSlackFake();
    const dataDir = await mkdtemp(join(tmpdir(), 'guanxi-socket-'));
    try {
      const config = loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        SLACK_APP_TOKEN: 'xapp-1-A0FAKE0001-revoked',
        SLACK_BOT_TOKEN: fakeWorkspace.botToken,
        SLACK_API_URL: fake.apiUrl,
      });

      await expect(startServer(config, { log: new MemoryLog() })).rejects.toThrow('Slack did not accept SLACK_APP_TOKEN (invalid_auth). Create an app-level token with the connections:write scope');
      expect(fake.callsTo('apps.connections.open').map((call) => call.response['error'])).toEqual(['invalid_auth']);
      expect(fake.socket.connections).toBe(0);
    } finally {
      await fake.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** What Slack puts in a `slash_commands` envelope: the form fields of PLATFORMS.md A2, as JSON. */
function slashCommandPayload(userId: string, text: string, responseUrl: string): Record<string, string> {
  return {
    token: 'fake-verification-token',
    team_id: fakeWorkspace.teamId,
    team_domain: fakeWorkspace.teamDomain,
    channel_id: 'C0FAKEGEN1',
    channel_name: 'general',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/crm',
    text,
    api_app_id: fakeWorkspace.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: newTriggerId(),
  };
}
