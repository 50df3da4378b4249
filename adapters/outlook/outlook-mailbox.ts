import { createHmac } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../../src/clock.ts';
import type { Mailbox } from '../../src/domain/mailbox.ts';
import type { InboundMessage } from '../../src/ingest/inbound-message.ts';
import { ForbiddenError, GuanxiError, ProviderAuthError } from '../../src/errors.ts';
import type { ListedPage, MailboxClient } from '../../src/mail/mail-port.ts';
import { withRetry } from '../../src/mail/with-retry.ts';
import { translateMicrosoftError } from './outlook-errors.ts';
import { toGraphMessage } from './to-graph-message.ts';
import { messageFields, toInboundMessage, type GraphMessage } from './to-inbound-message.ts';

/** Delta is per folder (PLATFORMS.md C6): received mail, and what the rep sent. */
const folders = ['inbox', 'sentitems'] as const;
type Folder = (typeof folders)[number];
type Deltas = Partial<Record<Folder, string>>;

/** Under both of Graph's documented maximums for Outlook messages (4,230 and 10,080 minutes). */
const subscriptionMinutes = 4_200;
const pageSize = 100;

export interface OutlookMailboxOptions {
  clock: Clock;
  publicUrl: string;
  webhookSecret: string;
  /**
   * Makes sure an access token is at hand before a request, fetching a fresh
   * one when `fresh` (after a 401). Outside the Graph client on purpose: a
   * refused grant must reach us as itself, not wrapped in a GraphError.
   */
  accessToken: (fresh: boolean) => Promise<void>;
  /** `/me` with a rep's own grant; `/users/<address>` with the app's. */
  base: string;
}

/** The clientState of a mailbox's subscription: derived from WEBHOOK_SECRET, different for every mailbox. */
export function clientStateFor(webhookSecret: string, mailboxId: string): string {
  return createHmac('sha256', webhookSecret).update(`outlook subscription ${mailboxId}`).digest('base64url');
}

/** One Outlook mailbox through Microsoft Graph: a subscription for pushes, delta queries for the mail. */
export function outlookMailbox(graph: Client, mailbox: Mailbox, options: OutlookMailboxOptions): MailboxClient {
  let fresh = false;
  const call = <T>(request: () => Promise<T>) =>
    withRetry(options.clock, async () => {
      await options.accessToken(fresh);
      fresh = false;
      try {
        return await request();
      } catch (error) {
        fresh = (error as { statusCode?: number }).statusCode === 401;
        throw translateMicrosoftError(error);
      }
    });

  /** One page of a delta round: its messages, and where the round goes next or ended. */
  const deltaPage = async (link: string): Promise<{ messages: InboundMessage[]; next: string | null; delta: string | null }> => {
    const page = await call(() => graph.api(link).header('Prefer', `odata.maxpagesize=${pageSize}`).get() as Promise<DeltaPage>);
    const messages = (page.value ?? []).filter((m) => !m['@removed'] && !m.isDraft).map((m) => toInboundMessage(m, mailbox));
    return { messages, next: page['@odata.nextLink'] ?? null, delta: page['@odata.deltaLink'] ?? null };
  };

  const firstLink = (folder: Folder, since: Date) =>
    `${options.base}/mailFolders('${folder}')/messages/delta?$select=${messageFields.join(',')}&$filter=receivedDateTime ge ${since.toISOString()}`;

  return {
    async watch(subscriptionId) {
      const expirationDateTime = new Date(options.clock.now().getTime() + subscriptionMinutes * 60_000).toISOString();
      if (subscriptionId) {
        try {
          const renewed = await call(() => graph.api(`/subscriptions/${subscriptionId}`).patch({ expirationDateTime }) as Promise<Subscription>);
          return { cursor: null, expiresAt: new Date(renewed.expirationDateTime), subscriptionId: renewed.id };
        } catch (error) {
          // Gone (removed, or lapsed): made again below.
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
      }
      try {
        const created = await call(() =>
          graph.api('/subscriptions').post({
            changeType: 'created',
            resource: `${options.base.slice(1)}/messages`,
            notificationUrl: `${options.publicUrl}/webhooks/outlook`,
            lifecycleNotificationUrl: `${options.publicUrl}/webhooks/outlook/lifecycle`,
            expirationDateTime,
            clientState: clientStateFor(options.webhookSecret, mailbox.id),
          }) as Promise<Subscription>,
        );
        return { cursor: null, expiresAt: new Date(created.expirationDateTime), subscriptionId: created.id };
      } catch (error) {
        const { statusCode, message } = error as { statusCode?: number; message?: string };
        // Graph calls the notification URL before it makes the subscription (PLATFORMS.md C1): PUBLIC_URL must reach this guanxi.
        if (statusCode === 400 && /^Subscription validation request failed/.test(message ?? '')) {
          throw new GuanxiError(
            'config_invalid',
            `Microsoft could not reach guanxi at ${options.publicUrl}/webhooks/outlook (${message}) An admin sets PUBLIC_URL to the https address Microsoft reaches this guanxi at (README, "Connect Outlook"); then connect again.`,
            { cause: error },
          );
        }
        if (options.base !== '/me' && statusCode === 403) {
          throw new ForbiddenError(
            `Microsoft does not let guanxi read the mail of ${mailbox.address} with its own access. In the Microsoft Entra admin center, give the app registration the application permission Mail.Read (and Mail.Send, for polls), and grant admin consent; then try again.`,
          );
        }
        throw error;
      }
    },

    async changesSince(cursor) {
      const deltas = JSON.parse(cursor) as Deltas;
      const messages: InboundMessage[] = [];
      const next: Deltas = {};
      for (const folder of folders) {
        let link: string | null = deltas[folder] ?? null;
        if (!link) continue;
        while (link) {
          const page = await deltaPage(link);
          messages.push(...page.messages);
          link = page.next;
          if (page.delta) next[folder] = page.delta;
        }
      }
      return { messages, cursor: JSON.stringify(next) };
    },

    async listPage(since, pageToken): Promise<ListedPage> {
      const at: PageToken = pageToken ? (JSON.parse(pageToken) as PageToken) : { folder: 'inbox', link: firstLink('inbox', since), deltas: {} };
      const page = await deltaPage(at.link);
      const deltas = page.delta ? { ...at.deltas, [at.folder]: page.delta } : at.deltas;
      const following = folders[folders.indexOf(at.folder) + 1];
      const nextToken: PageToken | null = page.next
        ? { ...at, link: page.next, deltas }
        : following
          ? { folder: following, link: firstLink(following, since), deltas }
          : null;
      return { messages: page.messages, nextPageToken: nextToken && JSON.stringify(nextToken), estimate: null, cursor: nextToken ? null : JSON.stringify(deltas) };
    },

    async send(mail) {
      // POST /me/sendMail (or /users/{address}/sendMail with the app's access) answers 202 with no body.
      // Retried only after a refused token, which sent nothing: a slow answer must never send the mail twice.
      const post = () => graph.api(`${options.base}/sendMail`).post({ message: toGraphMessage(mail), saveToSentItems: true });
      try {
        await options.accessToken(false);
        try {
          await post();
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 401) throw error;
          await options.accessToken(true);
          await post();
        }
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 403) {
          throw new ProviderAuthError(
            options.base === '/me'
              ? `Microsoft does not let guanxi send mail from ${mailbox.address}: it was connected before guanxi asked for permission to send (Mail.Send).`
              : `Microsoft does not let guanxi send mail from ${mailbox.address} with its own access: an admin must grant the app registration the Mail.Send application permission.`,
            { cause: error },
          );
        }
        throw translateMicrosoftError(error);
      }
    },
  };
}

interface PageToken {
  folder: Folder;
  link: string;
  deltas: Deltas;
}

interface DeltaPage {
  value?: GraphMessage[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface Subscription {
  id: string;
  expirationDateTime: string;
}
