import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../adapters/server.ts';
import { googlePushTokens } from '../../adapters/gmail/verify-push-token.ts';
import { loadConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { FixedClock } from './fixed-clock.ts';
import { gmailScopes, startGmailFake, type GmailFake } from './gmail-fake.ts';
import { startGraphFake, type GraphFake } from './graph-fake.ts';
import { pushBody, sendPush, type PushBodyOptions } from './pubsub-push.ts';
import { fakeWorkspace, messageBlocksMax, startSlackFake, type SlackFake, type SlackFakeUser, type SlackResponsePost } from './slack-fake.ts';
import { sendEvent, sendInteraction, slashCommand, type EventOptions, type SignOptions } from './slack-requests.ts';

export const signingSecret = 'test-signing-secret';
export const webhookSecret = 'test-webhook-secret-0123456789';
export const pubsubTopic = 'projects/guanxi-test/topics/gmail-push';
const google = { clientId: 'guanxi-test.apps.googleusercontent.com', clientSecret: 'guanxi-test-secret' };

const microsoft = { clientId: '6f1c2a10-0000-4000-8000-000000000001', clientSecret: 'guanxi-test-ms-secret' };

export interface GuanxiOptions {
  /** Also fake Gmail and turn it on. */
  gmail?: boolean;
  /**
   * Also fake Microsoft Graph and its identity platform, and turn Outlook on.
   * Graph checks the notification URL itself, so PUBLIC_URL is then the server's own address.
   */
  outlook?: boolean;
  /** The application permissions an admin granted the app in the Graph fake (default Mail.Read and User.Read.All). */
  graphAppRoles?: string[];
  /** Keep the data in this PostgreSQL database (DATABASE_URL) instead of a data folder. */
  databaseUrl?: string;
  /** The scopes the Slack app's bot token was granted (default those of manifests/slack.yaml). */
  slackScopes?: string[];
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
  readonly databaseUrl: string | null;
  readonly #gmail: GmailFake | null;
  readonly #graph: GraphFake | null;
  /** 0 (any free port) unless Graph must know the address before the server starts. */
  readonly #port: number;
  /** False for a sibling: the fakes and the data folder are the first instance's to close. */
  readonly #ownsFakes: boolean;

  private constructor(slack: SlackFake, fakes: { gmail: GmailFake | null; graph: GraphFake | null; port: number }, clock: FixedClock, dataDir: string, databaseUrl: string | null = null, ownsFakes = true) {
    this.slack = slack;
    this.#gmail = fakes.gmail;
    this.#graph = fakes.graph;
    this.#port = fakes.port;
    this.clock = clock;
    this.dataDir = dataDir;
    this.databaseUrl = databaseUrl;
    this.#ownsFakes = ownsFakes;
  }

  static async start(at = '2026-12-02T17:00:00Z', options: GuanxiOptions = {}): Promise<Guanxi> {
    const clock = new FixedClock(at);
    const slack = await startSlackFake({ users: Object.values(people), clock, ...(options.slackScopes ? { botScopes: options.slackScopes } : {}) });
    const gmail = options.gmail ? await startGmailFake({ clock, client: google }) : null;
    const graph = options.outlook ? await startGraphFake({ clock, client: microsoft, ...(options.graphAppRoles ? { appRoles: options.graphAppRoles } : {}) }) : null;
    const port = graph ? await freePort() : 0;
    const guanxi = new Guanxi(slack, { gmail, graph, port }, clock, await mkdtemp(join(tmpdir(), 'guanxi-')), options.databaseUrl ?? null);
    await guanxi.boot();
    return guanxi;
  }

  /** The Graph fake; only for a Guanxi started with `outlook: true`. */
  get graph(): GraphFake {
    if (!this.#graph) throw new Error('start Guanxi with { outlook: true }');
    return this.#graph;
  }

  /**
   * A second instance with the same configuration: same database, same data
   * folder, same Slack and Gmail fakes, same clock, as two servers behind one
   * load balancer. Its `stop` stops only its server. Needs `databaseUrl`.
   */
  async sibling(): Promise<Guanxi> {
    if (!this.databaseUrl) throw new Error('start Guanxi with { databaseUrl } to run a second instance on its data');
    const sibling = new Guanxi(this.slack, { gmail: this.#gmail, graph: null, port: 0 }, this.clock, this.dataDir, this.databaseUrl, false);
    await sibling.boot();
    return sibling;
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
    const graph = this.#graph;
    const config = loadConfig({
      PORT: String(this.#port),
      DATA_DIR: this.dataDir,
      PUBLIC_URL: graph ? `http://127.0.0.1:${this.#port}` : 'https://crm.ourteam.io',
      INTERNAL_DOMAINS: 'ourteam.io',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: fakeWorkspace.botToken,
      SLACK_API_URL: this.slack.apiUrl,
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      ...(gmail
        ? {
            GOOGLE_CLIENT_ID: google.clientId,
            GOOGLE_CLIENT_SECRET: google.clientSecret,
            GOOGLE_PUBSUB_TOPIC: pubsubTopic,
            GOOGLE_API_ROOT_URL: gmail.rootUrl,
            GOOGLE_TOKEN_URL: gmail.tokenUrl,
          }
        : {}),
      ...(graph
        ? {
            MS_CLIENT_ID: microsoft.clientId,
            MS_CLIENT_SECRET: microsoft.clientSecret,
            MS_TENANT_ID: graph.tenantId,
            GRAPH_BASE_URL: graph.baseUrl,
            MS_AUTHORITY_URL: `${graph.origin}/`,
          }
        : {}),
      ...(gmail || graph ? { WEBHOOK_SECRET: webhookSecret, ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef0123456789' } : {}),
    });
    this.server = await startServer(config, { clock: this.clock, log: this.log, ...(gmail ? { verifyPushToken: googlePushTokens(gmail.certsUrl) } : {}) });
  }

  /**
   * A rep connects Gmail as a person would: `/crm connect gmail`, the link from
   * the DM, Google's consent (the fake's code), back to the callback. Resolves
   * with the callback's page once the backfill has finished or paused.
   */
  async connectGmail(userId: string, address: string, consent: { grantOnly?: string[] } = {}): Promise<{ status: number; page: string }> {
    const before = this.slack.callsTo('chat.postMessage').length;
    await this.crm(userId, 'connect gmail');
    const dm = this.slack.callsTo('chat.postMessage').slice(before).find((call) => call.args['channel'] === userId && String(call.args['text']).includes('sign in'));
    const link = new URL(/<(https:[^|>]+)\|/.exec(String(dm?.args['text']))![1]!);
    // The rep allows what the link asks for, or only `grantOnly` of it (a mailbox connected before guanxi asked for more).
    const asked = (link.searchParams.get('scope') ?? gmailScopes.metadata).split(' ');
    const code = this.gmail.authorize(address, consent.grantOnly ? asked.filter((scope) => consent.grantOnly!.includes(scope)) : asked, { redirectUri: link.searchParams.get('redirect_uri')! });
    const callback = new URL('/oauth/google/callback', this.url);
    callback.searchParams.set('code', code);
    callback.searchParams.set('state', link.searchParams.get('state')!);
    const response = await fetch(callback);
    const page = await response.text();
    await this.server.core.mail!.idle();
    return { status: response.status, page };
  }

  /**
   * A rep connects Outlook as a person would: `/crm connect outlook`, the
   * link from the DM to Microsoft's consent page (the fake's), redirected
   * back to the callback. Resolves once the backfill has finished or paused.
   */
  async connectOutlook(userId: string, address: string, allow: { grantOnly?: string[] } = {}): Promise<{ status: number; page: string }> {
    const before = this.slack.callsTo('chat.postMessage').length;
    await this.crm(userId, 'connect outlook');
    const dm = this.slack.callsTo('chat.postMessage').slice(before).find((call) => call.args['channel'] === userId && String(call.args['text']).includes('sign in'));
    const link = /<(https:[^|>]+)\|/.exec(String(dm?.args['text']))![1]!;
    this.graph.signInAs(address, allow);
    const consent = await fetch(link, { redirect: 'manual' });
    const response = await fetch(consent.headers.get('location')!);
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

  /**
   * Types `/crm <text>` as `userId`; resolves with the ack and the reply, from
   * wherever Slack would show it: the ack's body, or else the response_url.
   */
  async crm(userId: string, text: string): Promise<{ ackMs: number; status: number; reply: SlackResponsePost }> {
    const responseUrl = this.slack.responseUrl();
    const ack = await slashCommand(this.url, signingSecret, { text, user_id: userId, response_url: responseUrl }, this.signed());
    if (ack.status !== 200) throw new Error(`/crm ${text} was answered ${ack.status}: ${ack.body}`);
    const reply =
      ack.body === ''
        ? await this.slack.waitForResponse((post) => post.url === responseUrl)
        : { url: responseUrl, body: JSON.parse(ack.body) as Record<string, unknown>, at: this.clock.now(), status: ack.status };
    // Slack shows "failed with the error invalid_blocks" instead of a reply with too many blocks.
    const blocks = reply.body['blocks'];
    if (Array.isArray(blocks) && blocks.length > messageBlocksMax) throw new Error(`/crm ${text} was answered with ${blocks.length} blocks, which Slack refuses`);
    return { ackMs: ack.elapsedMs, status: ack.status, reply };
  }

  /** The text of the reply to `/crm <text>`, as Slack shows it: mrkdwn, its escapes read back. */
  async crmText(userId: string, text: string): Promise<string> {
    return unescapeMrkdwn((await this.crm(userId, text)).reply.body['text'] as string);
  }

  interact(payload: Record<string, unknown>) {
    return sendInteraction(this.url, signingSecret, payload, this.signed());
  }

  event(event: Record<string, unknown>, opts: EventOptions = {}) {
    return sendEvent(this.url, signingSecret, event, { ...this.signed(), ...opts });
  }

  async stop(): Promise<void> {
    await this.server.stop();
    if (!this.#ownsFakes) return;
    await this.slack.close();
    await this.#gmail?.close();
    await this.#graph?.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** All the text of a Block Kit message as Slack shows it (*bold* marks gone, links as their label, &lt; &gt; &amp; unescaped): what a person reads. */
export function readBlocks(blocks: unknown): string {
  const text = (JSON.stringify(blocks ?? []).match(/"text":"((?:[^"\\]|\\.)*)"/g) ?? [])
    .map((m) => JSON.parse(m.slice(7)) as string)
    .join('\n')
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/<https?:\/\/[^|>]+\|([^>]+)>/g, '$1');
  return unescapeMrkdwn(text);
}

/** Slack's three escapes in mrkdwn (&amp; &lt; &gt;), read back as the characters they show. */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The action ids and values of every button in a Block Kit message, in actions blocks and beside sections. */
export function buttons(blocks: unknown): { actionId: string; value: string; text: string }[] {
  type Element = { type: string; action_id: string; value: string; text: { text: string } };
  const found: { actionId: string; value: string; text: string }[] = [];
  for (const block of (blocks ?? []) as { type: string; elements?: Element[]; accessory?: Element }[]) {
    for (const element of [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]) {
      if (element.type === 'button') found.push({ actionId: element.action_id, value: element.value, text: element.text.text });
    }
  }
  return found;
}

/** A port nothing listens on now, for a server whose address must be known before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
