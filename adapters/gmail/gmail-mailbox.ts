import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import type { Clock } from '../../src/clock.ts';
import type { Mailbox } from '../../src/domain/mailbox.ts';
import type { InboundMessage } from '../../src/ingest/inbound-message.ts';
import { GuanxiError, ProviderAuthError } from '../../src/errors.ts';
import { inParallel } from '../../src/mail/in-parallel.ts';
import type { MailboxClient } from '../../src/mail/mail-port.ts';
import { withRetry } from '../../src/mail/with-retry.ts';
import { googleStatusOf, translateGoogleError } from './gmail-errors.ts';
import { metadataHeaders, toInboundMessage } from './to-inbound-message.ts';
import { toRawMessage } from './to-raw-message.ts';

/** Metadata fetches in flight per mailbox: quick, and well inside Gmail's per-user quota with back-off. */
const concurrentFetches = 8;
const pageSize = 100;

/** One Gmail mailbox, read with format=metadata only (PLATFORMS.md B1-B4). */
export function gmailMailbox(gmail: gmail_v1.Gmail, mailbox: Mailbox, options: { topic: string; clock: Clock }): MailboxClient {
  const call = <T>(during: 'history' | 'other', request: () => Promise<{ data: T }>) =>
    withRetry(options.clock, async () => {
      try {
        return (await request()).data;
      } catch (error) {
        throw translateGoogleError(error, during);
      }
    });

  const fetchAll = async (ids: string[]): Promise<InboundMessage[]> => {
    const fetched = await inParallel([...new Set(ids)], concurrentFetches, async (id) => {
      try {
        return await call('other', () => gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders }));
      } catch (error) {
        // Deleted between the listing and the fetch: nothing to log.
        if ((error as { response?: { status?: number } }).response?.status === 404) return null;
        throw error;
      }
    });
    return fetched.flatMap((m) => (m && !m.labelIds?.some((l) => l === 'DRAFT' || l === 'SPAM') ? [toInboundMessage(m, mailbox)] : []));
  };

  return {
    async watch() {
      try {
        // Both received and sent mail: a rep's answer to a customer belongs on the timeline too.
        const data = await call('other', () =>
          gmail.users.watch({ userId: 'me', requestBody: { topicName: options.topic, labelIds: ['INBOX', 'SENT'], labelFilterBehavior: 'INCLUDE' } }),
        );
        return { cursor: String(data.historyId), expiresAt: new Date(Number(data.expiration)), subscriptionId: null };
      } catch (error) {
        throw topicProblem(error, options.topic) ?? error;
      }
    },

    async changesSince(cursor) {
      const ids: string[] = [];
      let pageToken: string | undefined;
      let latest = cursor;
      do {
        const data = await call('history', () =>
          gmail.users.history.list({ userId: 'me', startHistoryId: cursor, historyTypes: ['messageAdded'], maxResults: 500, ...(pageToken ? { pageToken } : {}) }),
        );
        for (const entry of data.history ?? []) for (const added of entry.messagesAdded ?? []) if (added.message?.id) ids.push(added.message.id);
        if (data.historyId) latest = String(data.historyId);
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return { messages: await fetchAll(ids), cursor: latest };
    },

    async listPage(since, pageToken) {
      // The gmail.metadata scope allows no search (`q`), so the window is found by
      // paging the whole mailbox, newest first, until mail older than `since` shows.
      const data = await call('other', () => gmail.users.messages.list({ userId: 'me', maxResults: pageSize, ...(pageToken ? { pageToken } : {}) }));
      const ids = (data.messages ?? []).flatMap((m) => (m.id ? [m.id] : []));
      const fetched = await fetchAll(ids);
      const inWindow = fetched.filter((m) => m.sentAt.getTime() >= since.getTime());
      const reachedOlder = inWindow.length < fetched.length;
      return { messages: inWindow, nextPageToken: reachedOlder ? null : (data.nextPageToken ?? null), estimate: null, cursor: null };
    },

    async send(mail) {
      try {
        // Not through `call`: a send is not retried, so that a slow answer never sends the mail twice.
        await gmail.users.messages.send({ userId: 'me', requestBody: { raw: toRawMessage(mailbox.address, mail) } });
      } catch (error) {
        // Google's 403 insufficientPermissions: the grant has no send scope (gmail.send came with polls).
        if (/insufficient(Permissions| authentication scopes)/i.test(JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? ''))) {
          throw new ProviderAuthError(`Google does not let guanxi send mail from ${mailbox.address}: it was connected before guanxi asked for permission to send.`, { cause: error });
        }
        throw translateGoogleError(error, 'other');
      }
    },
  };
}

/**
 * Gmail's refusals to publish to the Pub/Sub topic, the usual mistakes of its
 * set-up (PLATFORMS.md B1), said as what an admin fixes in Google Cloud; null for any other failure.
 */
function topicProblem(error: unknown, topic: string): GuanxiError | null {
  const status = googleStatusOf(error);
  const said = error instanceof Error ? error.message : '';
  const then = 'then connect again (README, "Connect Gmail").';
  if (status === 403 && /not authorized/i.test(said)) {
    return new GuanxiError('config_invalid', `Gmail may not publish to ${topic}, the topic in GOOGLE_PUBSUB_TOPIC. An admin gives gmail-api-push@system.gserviceaccount.com the Pub/Sub Publisher role on it in Google Cloud; ${then}`, { cause: error });
  }
  if (status === 400 && /topicName/i.test(said)) {
    return new GuanxiError('config_invalid', `Gmail refuses ${topic}, the topic in GOOGLE_PUBSUB_TOPIC: it must be a topic of the Google Cloud project that holds the OAuth client of GOOGLE_CLIENT_ID. An admin creates it there, or sets the right one; ${then}`, { cause: error });
  }
  return null;
}
