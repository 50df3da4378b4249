import type { App } from '@slack/bolt';
import type { InboundMessage } from '../../../../src/ingest/inbound-message.ts';
import { ingestMessages } from '../../../../src/ingest/ingest.ts';
import type { SlackDeps } from '../../slack-deps.ts';

/** Message subtypes that are what someone said; joins, topic changes and edits are not. */
const spoken = new Set([undefined, 'thread_broadcast', 'file_share']);

/**
 * A message posted in a channel linked to a customer (`/crm link`) goes on
 * that customer's timeline, with its permalink, through the same ingestion as
 * mail. Replies carry their thread, and the card shows a thread as one line.
 * Needs the message.channels and message.groups events (channels:history, groups:history).
 */
export function registerChannelMessages(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, client }) => {
    const message = event as { subtype?: string; channel: string; user?: string; bot_id?: string; ts: string; thread_ts?: string; text?: string };
    if (!spoken.has(message.subtype) || !message.user || message.bot_id) return;
    const link = await deps.core.store.channels.get(message.channel);
    if (!link) return;
    const [poster, { permalink }] = await Promise.all([
      deps.directory.lookup(message.user),
      client.chat.getPermalink({ channel: message.channel, message_ts: message.ts }),
    ]);
    const inbound: InboundMessage = {
      provider: 'slack',
      mailbox: message.channel,
      loggedBy: link.linkedBy,
      providerId: `${message.channel}:${message.ts}`,
      messageId: null,
      threadId: message.thread_ts ?? message.ts,
      from: poster?.email ? { email: poster.email, name: poster.name } : null,
      to: [],
      cc: [],
      subject: '',
      snippet: (message.text ?? '').trim(),
      sentAt: new Date(Number(message.ts) * 1000),
      bulkHeaders: {},
      permalink: permalink ?? null,
      channelCustomerId: link.customerId,
    };
    await ingestMessages({ ...deps.core, internalDomains: deps.core.config.internalDomains }, [inbound]);
  });
}
