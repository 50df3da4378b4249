import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver } from '@slack/bolt';
import { ErrorCode, LogLevel, WebClient, WebClientEvent, retryPolicies } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from './fixed-clock.ts';
import { fakeWorkspace, startSlackFake, type SlackFake } from './slack-fake.ts';
import {
  blockActionPayload,
  messageShortcutPayload,
  newTriggerId,
  sendEvent,
  sendInteraction,
  signSlackRequest,
  slashCommand,
  viewSubmissionPayload,
} from './slack-requests.ts';

describe('signSlackRequest', () => {
  it("reproduces Slack's published test vector (PLATFORMS.md A1)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

describe('the Slack fake, driven by the real WebClient', () => {
  let fake: SlackFake;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startSlackFake({ users: [{ id: 'U0ALICE', name: 'alice', tz: 'Asia/Shanghai', email: 'alice@example.com' }] });
    client = new WebClient(fakeWorkspace.botToken, { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers auth.test with the bot identity Bolt needs', async () => {
    const result = await client.auth.test();

    expect(result).toMatchObject({ ok: true, team_id: fakeWorkspace.teamId, user_id: fakeWorkspace.botUserId, bot_id: fakeWorkspace.botId });
    expect(fake.callsTo('auth.test')[0]?.token).toBe(fakeWorkspace.botToken);
  });

  it('refuses a missing or unknown token the way Slack does', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
    const stranger = new WebClient('xoxb-someone-else', { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });

    await expect(anonymous.auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'not_authed' } });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('records blocks of a posted message as objects and gives each message its own ts', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Acme* added' } }];

    const first = await client.chat.postMessage({ channel: 'C0SALES', text: 'Acme added', blocks });
    const second = await client.chat.postMessage({ channel: 'C0SALES', text: 'again' });

    expect(first).toMatchObject({ ok: true, channel: 'C0SALES', message: { text: 'Acme added', blocks } });
    expect(first.ts).not.toBe(second.ts);
    expect(fake.callsTo('chat.postMessage')[0]?.args).toEqual({ channel: 'C0SALES', text: 'Acme added', blocks });
  });

  it("refuses more blocks than Slack takes: 50 in a message, 100 in a view", async () => {
    const blocks = (count: number) => Array.from({ length: count }, (_, n) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `line ${n}` } }));

    await expect(client.chat.postMessage({ channel: 'C0SALES', text: 'fits', blocks: blocks(50) })).resolves.toMatchObject({ ok: true });
    await expect(client.chat.postMessage({ channel: 'C0SALES', text: 'too long', blocks: blocks(51) })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    await expect(client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: blocks(100) } })).resolves.toMatchObject({ ok: true });
    await expect(client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: blocks(101) } })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
  });

  it('delivers a message addressed to a user id into a DM channel', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0ALICE', text: 'Reminder: call Acme' });
    const opened = await client.conversations.open({ users: 'U0ALICE' });

    expect(posted.channel).toMatch(/^D/);
    expect(opened.channel?.id).toBe(posted.channel);
  });

  it('opens a modal once per trigger id', async () => {
    const view = { type: 'modal' as const, callback_id: 'add_customer', title: { type: 'plain_text' as const, text: 'Add' }, blocks: [] };

    const opened = await client.views.open({ trigger_id: '123.456.abc', view });

    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'add_customer' });
    expect(fake.callsTo('views.open')[0]?.args.view).toEqual(view);
    await expect(client.views.open({ trigger_id: '123.456.abc', view })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'exchanged_trigger_id' },
    });
  });

  it('looks up known users with their time zone and email, and refuses unknown ones', async () => {
    const known = await client.users.info({ user: 'U0ALICE' });

    expect(known.user).toMatchObject({ id: 'U0ALICE', name: 'alice', tz: 'Asia/Shanghai', tz_offset: 8 * 3600, profile: { email: 'alice@example.com' } });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('retries a rate-limited call after Retry-After and then succeeds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const rapid = new WebClient(fakeWorkspace.botToken, { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR, retryConfig: retryPolicies.rapidRetryPolicy });
    const rateLimited = vi.fn();
    rapid.on(WebClientEvent.RATE_LIMITED, rateLimited);

    const started = performance.now();
    const result = await rapid.chat.postMessage({ channel: 'C0SALES', text: 'hello' });

    expect(result.ok).toBe(true);
    expect(rateLimited).toHaveBeenCalledWith(1, expect.anything());
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(fake.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
  });

  it('answers an injected platform error once, then serves normally', async () => {
    fake.failNext('users.info', { error: 'ratelimited' });

    await expect(client.users.info({ user: 'U0ALICE' })).rejects.toMatchObject({ data: { error: 'ratelimited' } });
    await expect(client.users.info({ user: 'U0ALICE' })).resolves.toMatchObject({ ok: true });
  });

  it('accepts JSON bodies too', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${fakeWorkspace.botToken}` },
      body: JSON.stringify({ channel: 'C0SALES', blocks: [{ type: 'divider' }] }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0SALES' });
    expect(fake.callsTo('chat.postMessage')[0]?.args.blocks).toEqual([{ type: 'divider' }]);
  });

  it('wakes a waiter when the awaited call arrives', async () => {
    const waiting = fake.waitFor('chat.postEphemeral', (call) => call.args.user === 'U0ALICE');

    await client.chat.postEphemeral({ channel: 'C0SALES', user: 'U0BOB', text: 'not this one' });
    await client.chat.postEphemeral({ channel: 'C0SALES', user: 'U0ALICE', text: 'this one' });

    expect((await waiting).args.text).toBe('this one');
  });

  it('names the calls it saw when the awaited one never comes', async () => {
    await client.auth.test();
    vi.useFakeTimers();
    try {
      const waiting = fake.waitFor('views.publish', undefined, 1000);
      const outcome = expect(waiting).rejects.toThrow(/no matching views\.publish call within 1000 ms; calls seen: auth\.test/);
      await vi.advanceTimersByTimeAsync(1000);
      await outcome;
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers an unknown method with unknown_method', async () => {
    await expect(client.apiCall('crm.frobnicate')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });
});

describe("the Slack fake's response_urls", () => {
  let fake: SlackFake;

  beforeEach(async () => {
    fake = await startSlackFake();
  });

  afterEach(async () => {
    await fake.close();
  });

  // Posts the way Bolt's respond() does (PLATFORMS.md A2).
  const respond = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('records what the app sends to a response_url', async () => {
    const url = fake.responseUrl();
    const waiting = fake.waitForResponse((post) => post.body.response_type === 'ephemeral');

    const answer = await respond(url, { response_type: 'ephemeral', text: 'Customer Acme added' });

    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('ok');
    expect(await waiting).toMatchObject({ url, status: 200, body: { text: 'Customer Acme added' } });
  });

  it('accepts five posts per response_url and refuses the sixth', async () => {
    const url = fake.responseUrl();

    const statuses: number[] = [];
    for (let n = 1; n <= 6; n++) statuses.push((await respond(url, { text: `update ${n}` })).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responses.filter((post) => post.url === url)).toHaveLength(6);
  });

  it('refuses a post with more than 50 blocks, as Slack does', async () => {
    const blocks = (count: number) => Array.from({ length: count }, (_, n) => ({ type: 'section', text: { type: 'mrkdwn', text: `line ${n}` } }));

    expect((await respond(fake.responseUrl(), { text: 'fits', blocks: blocks(50) })).status).toBe(200);
    expect((await respond(fake.responseUrl(), { text: 'too long', blocks: blocks(51) })).status).toBe(400);
  });

  it('refuses a response_url after its 30 minutes are up', async () => {
    const clock = new FixedClock('2025-03-01T09:00:00Z');
    const clocked = await startSlackFake({ clock });
    try {
      const url = clocked.responseUrl();
      clock.set('2025-03-01T09:30:01Z');

      expect((await respond(url, { text: 'too late' })).status).toBe(404);
    } finally {
      await clocked.close();
    }
  });

  it('refuses a response_url it never issued', async () => {
    const answer = await respond(`${fake.baseUrl}/response/999`, { text: 'hello' });

    expect(answer.status).toBe(404);
  });
});

describe('requests built by slack-requests, as a real Bolt app receives them', () => {
  const secret = 'test-signing-secret';
  let fake: SlackFake;
  let app: App;
  let baseUrl: string;
  const seen: Record<string, unknown>[] = [];

  beforeEach(async () => {
    fake = await startSlackFake({ users: [{ id: 'U0ALICE', name: 'alice' }] });
    const receiver = new ExpressReceiver({ signingSecret: secret, logLevel: LogLevel.ERROR });
    app = new App({ token: fakeWorkspace.botToken, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.apiUrl } });
    seen.length = 0;
    app.command('/crm', async ({ ack, command, respond, context }) => {
      seen.push({ kind: 'command', text: command.text, botUserId: context.botUserId });
      await ack();
      await respond({ response_type: 'ephemeral', text: `You said ${command.text}` });
    });
    // Bolt acks an event before its listener runs, so the test waits for the listener's Web API call.
    app.event('app_home_opened', async ({ event, context, client }) => {
      seen.push({ kind: 'event', user: event.user, retryNum: context.retryNum });
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    // Interaction listeners note what they saw before acking, so the HTTP answer implies the note.
    app.action('open_customer', async ({ ack, action }) => {
      seen.push({ kind: 'action', value: 'value' in action ? action.value : undefined });
      await ack();
    });
    app.view('add_customer', async ({ ack, view }) => {
      seen.push({ kind: 'view', name: view.state.values.name?.name_input?.value, metadata: view.private_metadata });
      await ack();
    });
    app.shortcut('log_message', async ({ ack, shortcut }) => {
      seen.push({ kind: 'shortcut', text: 'message' in shortcut ? shortcut.message.text : undefined });
      await ack();
    });
    const server = await receiver.start(0);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  it('verifies and routes a slash command, whose respond() reaches the fake', async () => {
    const result = await slashCommand(baseUrl, secret, { text: 'add Acme', user_id: 'U0ALICE', response_url: fake.responseUrl() });

    expect(result.status).toBe(200);
    expect((await fake.waitForResponse()).body).toMatchObject({ text: 'You said add Acme' });
    expect(seen).toEqual([{ kind: 'command', text: 'add Acme', botUserId: fakeWorkspace.botUserId }]);
  });

  it('is refused by Bolt when the signature is wrong or the timestamp stale (PLATFORMS.md A1)', async () => {
    const fields = { text: 'x', user_id: 'U0ALICE', response_url: fake.responseUrl() };

    expect((await slashCommand(baseUrl, 'wrong-secret', fields)).status).toBe(401);
    expect((await slashCommand(baseUrl, secret, fields, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('delivers events, with the retry number of a redelivery', async () => {
    const event = { type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' };

    expect((await sendEvent(baseUrl, secret, event, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await fake.waitFor('views.publish', (call) => call.args.user_id === 'U0ALICE');
    expect(seen).toEqual([{ kind: 'event', user: 'U0ALICE', retryNum: 1 }]);
  });

  it('delivers button clicks, modal submissions and message shortcuts', async () => {
    const user = 'U0ALICE';
    await sendInteraction(baseUrl, secret, blockActionPayload({ user, actionId: 'open_customer', value: 'cus_1' }));
    await sendInteraction(baseUrl, secret, viewSubmissionPayload({ user, callbackId: 'add_customer', privateMetadata: '{"c":"C1"}', values: { name: { name_input: 'Acme' } } }));
    await sendInteraction(baseUrl, secret, messageShortcutPayload({
      user, callbackId: 'log_message', channelId: 'C0SALES', message: { ts: '1700000000.000100', text: 'Met Acme today', user: 'U0BOB' }, triggerId: newTriggerId(), responseUrl: fake.responseUrl(),
    }));

    expect(seen).toEqual([
      { kind: 'action', value: 'cus_1' },
      { kind: 'view', name: 'Acme', metadata: '{"c":"C1"}' },
      { kind: 'shortcut', text: 'Met Acme today' },
    ]);
  });
});
