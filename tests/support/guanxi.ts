import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../adapters/server.ts';
import { loadConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { FixedClock } from './fixed-clock.ts';
import { fakeWorkspace, startSlackFake, type SlackFake, type SlackFakeUser, type SlackResponsePost } from './slack-fake.ts';
import { sendEvent, sendInteraction, slashCommand, type EventOptions, type SignOptions } from './slack-requests.ts';

export const signingSecret = 'test-signing-secret';

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

  private constructor(slack: SlackFake, clock: FixedClock, dataDir: string) {
    this.slack = slack;
    this.clock = clock;
    this.dataDir = dataDir;
  }

  static async start(at = '2026-12-02T17:00:00Z'): Promise<Guanxi> {
    const clock = new FixedClock(at);
    const slack = await startSlackFake({ users: Object.values(people), clock });
    const guanxi = new Guanxi(slack, clock, await mkdtemp(join(tmpdir(), 'guanxi-')));
    await guanxi.boot();
    return guanxi;
  }

  get url(): string {
    return this.server.url;
  }

  private async boot(): Promise<void> {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: this.dataDir,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: fakeWorkspace.botToken,
      SLACK_API_URL: this.slack.apiUrl,
    });
    this.server = await startServer(config, { clock: this.clock, log: this.log });
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
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** All the text of a Block Kit message as Slack shows it (*bold* marks gone, &lt; &gt; &amp; unescaped): what a person reads. */
export function readBlocks(blocks: unknown): string {
  return (JSON.stringify(blocks ?? []).match(/"text":"((?:[^"\\]|\\.)*)"/g) ?? [])
    .map((m) => JSON.parse(m.slice(7)) as string)
    .join('\n')
    .replace(/\*([^*\n]+)\*/g, '$1')
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
