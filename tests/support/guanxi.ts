import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../adapters/server.ts';
import { googlePushTokens } from '../../adapters/gmail/verify-push-token.ts';
import { loadConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { FixedClock } from './fixed-clock.ts';
import { gmailScopes, startGmailFake, type GmailFake } from './gmail-fake.ts';
import { pushBody, sendPush, type PushBodyOptions } from './pubsub-push.ts';
import { fakeWorkspace, startSlackFake, type SlackFake, type SlackFakeUser, type SlackResponsePost } from './slack-fake.ts';
import { sendEvent, sendInteraction, slashCommand, type EventOptions, type SignOptions } from './slack-requests.ts';

export const signingSecret = 'test-signing-secret';
export const webhookSecret = 'test-webhook-secret-0123456789';
export const pubsubTopic = 'projects/guanxi-test/topics/gmail-push';
const google = { clientId: 'guanxi-test.apps.googleusercontent.com', clientSecret: 'guanxi-test-secret' };

export interface GuanxiOptions {
  /** Also fake Gmail and turn it on. */
  gmail?: boolean;
}

/** A workspace's people: a rep in Los Angeles, a manager in Shanghai, a rep in Paris. */
export const people = {
  ana: { id: 'U0ANA00001', name: 'ana', realName: 'Ana Lima', tz: 'America/Los_Angeles', email: 'ana@ourteam.io' },
  bo: { id: 'U0BO000001', name: 'bo', realName: 'Bo Chen', tz: 'Asia/Shanghai', email: 'bo@ourteam.io' },
  chloe: { id: 'U0CHLOE001', name: 'chloe', realName: 'Chloé Martin', tz: 'Europe/Paris', email: 'chloe@ourteam.io' },
} satisfies Record<string, SlackFakeUser>;

/** Logs kept for assertions instead of printed. */
export class MemoryLog implements Logger {
  readonly lines: string[] = [];
  info = (message: string) => void this.lines.push(`info ${message}`);
  warn = (message: string, cause?: unknown) => void this.lines.push(`warn ${message} ${cause ?? ''}`);
  error = (message: string, cause?: unknown) => void this.lines.push(`error ${message} ${cause ?? ''}`);
}

/**
 * The real guanxi server on a free port, with Slack faked at the HTTP edge,
 * a fixed clock and its own data folder. Requests are signed at the clock's time.
 */
export class Guanxi {
  server!: Server;
  readonly log = new MemoryLog();
  readonly slack: SlackFake;
  readonly clock: FixedClock;
  readonly dataDir: string;
  readonly #gmail: GmailFake | null;

  private constructor(slack: SlackFake, gmail: GmailFake | null, clock: FixedClock, dataDir: string) {
    this.slack = slack;
    this.#gmail = gmail;
    this.clock = clock;
    this.dataDir = dataDir;
  }

  static async start(at = '2026-12-02T17:00:00Z', options: GuanxiOptions = {}): Promise<Guanxi> {
    const clock = new FixedClock(at);
    const slack = await startSlackFake({ users: Object.values(people), clock });
    const gmail = options.gmail ? await startGmailFake({ clock, client: google }) : null;
    const guanxi = new Guanxi(slack, gmail, clock, await mkdtemp(join(tmpdir(), 'guanxi-')));
    await guanxi.boot();
    return guanxi;
  }

  /** The Gmail fake; only for a Guanxi started with `gmail: true`. */
  get gmail(): GmailFake {
    if (!this.#gmail) throw new Error('start Guanxi with { gmail: true }');
    return this.#gmail;
  }

  get url(): string {
    return this.server.url;
  }

  private async boot(): Promise<void> {
    const gmail = this.#gmail;
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: this.dataDir,
      PUBLIC_URL: 'https://crm.ourteam.io',
      INTERNAL_DOMAINS: 'ourteam.io',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: fakeWorkspace.botToken,
      SLACK_API_URL: this.slack.apiUrl,
      ...(gmail
        ? {
            GOOGLE_CLIENT_ID: google.clientId,
            GOOGLE_CLIENT_SECRET: google.clientSecret,
            GOOGLE_PUBSUB_TOPIC: pubsubTopic,
            GOOGLE_API_ROOT_URL: gmail.rootUrl,
            GOOGLE_TOKEN_URL: gmail.tokenUrl,
            WEBHOOK_SECRET: webhookSecret,
            ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef0123456789',
          }
        : {}),
    });
    this.server = await startServer(config, { clock: this.clock, log: this.log, ...(gmail ? { verifyPushToken: googlePushTokens(gmail.certsUrl) } : {}) });
  }

  /**
   * A rep connects Gmail as a person would: `/crm connect gmail`, the link from
   * the DM, Google's consent (the fake's code), back to the callback. Resolves
   * with the callback's page once the backfill has finished or paused.
   */
  async connectGmail(userId: string, address: string): Promise<{ status: number; page: string }> {
    const before = this.slack.callsTo('chat.postMessage').length;
    await this.crm(userId, 'connect gmail');
    const dm = this.slack.callsTo('chat.postMessage').slice(before).find((call) => call.args['channel'] === userId && String(call.args['text']).includes('sign in'));
    const link = new URL(/<(https:[^|>]+)\|/.exec(String(dm?.args['text']))![1]!);
    const code = this.gmail.authorize(address, [gmailScopes.metadata], { redirectUri: link.searchParams.get('redirect_uri')! });
    const callback = new URL('/oauth/google/callback', this.url);
    callback.searchParams.set('code', code);
    callback.searchParams.set('state', link.searchParams.get('state')!);
    const response = await fetch(callback);
    const page = await response.text();
    await this.server.core.mail!.idle();
    return { status: response.status, page };
  }

  /** What Pub/Sub would push for a change in `address`, with the shared secret in the URL unless `url` says otherwise. */
  push(options: PushBodyOptions & { url?: string; bearer?: string }) {
    const { url = `${this.url}/webhooks/gmail?token=${webhookSecret}`, bearer, ...body } = options;
    return sendPush(url, pushBody(body), bearer ? { bearer } : {});
  }

  /** Stops the service and starts it again on the same data, as after a deploy. */
  async restart(): Promise<void> {
    await this.server.stop();
    await this.boot();
  }

  signed(): SignOptions {
    return { timestamp: Math.floor(this.clock.now().getTime() / 1000) };
  }

  /** Types `/crm <text>` as `userId`; resolves with the ack and the reply posted to the response_url. */
  async crm(userId: string, text: string): Promise<{ ackMs: number; status: number; reply: SlackResponsePost }> {
    const responseUrl = this.slack.responseUrl();
    const ack = await slashCommand(this.url, signingSecret, { text, user_id: userId, response_url: responseUrl }, this.signed());
    if (ack.status !== 200) throw new Error(`/crm ${text} was answered ${ack.status}: ${ack.body}`);
    const reply = await this.slack.waitForResponse((post) => post.url === responseUrl);
    return { ackMs: ack.elapsedMs, status: ack.status, reply };
  }

  /** The plain text of the reply to `/crm <text>`. */
  async crmText(userId: string, text: string): Promise<string> {
    return (await this.crm(userId, text)).reply.body['text'] as string;
  }

  interact(payload: Record<string, unknown>) {
    return sendInteraction(this.url, signingSecret, payload, this.signed());
  }

  event(event: Record<string, unknown>, opts: EventOptions = {}) {
    return sendEvent(this.url, signingSecret, event, { ...this.signed(), ...opts });
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.slack.close();
    await this.#gmail?.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** All the text of a Block Kit message as Slack shows it (*bold* marks gone, links as their label, &lt; &gt; &amp; unescaped): what a person reads. */
export function readBlocks(blocks: unknown): string {
  return (JSON.stringify(blocks ?? []).match(/"text":"((?:[^"\\]|\\.)*)"/g) ?? [])
    .map((m) => JSON.parse(m.slice(7)) as string)
    .join('\n')
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/<https?:\/\/[^|>]+\|([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The action ids and values of every button in a Block Kit message. */
export function buttons(blocks: unknown): { actionId: string; value: string; text: string }[] {
  const found: { actionId: string; value: string; text: string }[] = [];
  for (const block of (blocks ?? []) as { type: string; elements?: { type: string; action_id: string; value: string; text: { text: string } }[] }[]) {
    for (const element of block.elements ?? []) {
      if (element.type === 'button') found.push({ actionId: element.action_id, value: element.value, text: element.text.text });
    }
  }
  return found;
}
