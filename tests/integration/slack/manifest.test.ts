import { readFile } from 'node:fs/promises';
import { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { botScopes } from '../../../adapters/slack/bot-scopes.ts';
import { registerListeners } from '../../../adapters/slack/listeners/register.ts';
import type { SlackDeps } from '../../../adapters/slack/slack-deps.ts';
import { Guanxi, people } from '../../support/guanxi.ts';

interface Manifest {
  features: { slash_commands: { command: string; url: string; should_escape: boolean }[]; shortcuts: { callback_id: string; type: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = parse(await readFile(new URL('../../../manifests/slack.yaml', import.meta.url), 'utf8')) as Manifest;

/** What the app registers, read off a real Bolt app by recording its registration calls. */
function registered() {
  const app = new App({ token: 'xoxb-unused', signingSecret: 'unused', tokenVerificationEnabled: false });
  const seen = { command: [] as unknown[], shortcut: [] as unknown[], event: [] as unknown[] };
  const recording = new Proxy(app, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key === 'string' && key in seen && typeof value === 'function') {
        return (...args: unknown[]) => {
          seen[key as keyof typeof seen].push(args[0]);
          return value.apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  registerListeners(recording, {} as SlackDeps);
  return seen;
}

// Which scopes the subscribed events need (a message event per kind of conversation it is read in).
const eventScopes: Record<string, string[]> = { 'message.channels': ['channels:history'], 'message.groups': ['groups:history'] };

// Which scope each Web API method the app calls needs (PLATFORMS.md A5; methods with no entry need none).
const scopeOf: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'users.info': ['users:read', 'users:read.email'],
  'conversations.open': ['im:write'],
};

describe('manifests/slack.yaml', () => {
  it('declares exactly the commands, shortcuts and events the app listens to', () => {
    const seen = registered();
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(seen.command);
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toEqual(seen.shortcut);
    // Slack names message events by where they happen (message.channels, message.groups); Bolt listens to `message`.
    expect([...new Set(manifest.settings.event_subscriptions.bot_events.map((e) => e.replace(/^message\..*$/, 'message')))]).toEqual(seen.event);
    expect(manifest.features.app_home.home_tab_enabled).toBe(seen.event.includes('app_home_opened'));
  });

  it('sends commands, events and interactions to the one route the app serves, with mentions escaped as the parser expects', () => {
    const urls = [...manifest.features.slash_commands.map((c) => c.url), manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    expect(new Set(urls.map((url) => new URL(url).pathname))).toEqual(new Set(['/slack/events']));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
  });

  it('names at start the scopes a bot token lacks, and what stops working without them; the code knows the manifest\'s scopes', async () => {
    expect(Object.keys(botScopes).sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    const lacking = await Guanxi.start('2026-12-02T17:00:00Z', { slackScopes: ['commands', 'chat:write', 'users:read', 'channels:history'] });
    const complete = await Guanxi.start();
    try {
      expect(lacking.log.lines.filter((line) => line.includes('bot token lacks'))).toEqual([
        'warn The Slack app\'s bot token lacks users:read.email (people\'s mail addresses, to tell teammates from customers), groups:history (logging linked private channels). Reinstall the app from manifests/slack.yaml, or add the scopes under "OAuth & Permissions" and reinstall it (README, "Connect Slack"). ',
      ]);
      expect(complete.log.lines.filter((line) => line.includes('bot token lacks'))).toEqual([]);
    } finally {
      await lacking.stop();
      await complete.stop();
    }
  });

  it('asks for every scope the app uses, and no other', async () => {
    const guanxi = await Guanxi.start();
    try {
      await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
      await guanxi.crm(people.ana.id, 'remind acme tomorrow 9am "call"');
      guanxi.clock.set('2026-12-04T00:00:00Z');
      await guanxi.server.scheduler.run('reminders');
      const events = manifest.settings.event_subscriptions.bot_events.flatMap((event) => eventScopes[event] ?? []);
      const used = new Set(['commands', ...events, ...guanxi.slack.calls.flatMap((call) => scopeOf[call.method] ?? [])]);
      expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(used);
    } finally {
      await guanxi.stop();
    }
  });
});
