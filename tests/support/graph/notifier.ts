import type { Clock } from '../../../src/clock.ts';
import { Recording } from '../recording.ts';
import type { MailboxEntry, OutlookMailbox } from './mailbox.ts';
import { changeItem, lifecycleItem, type HeldSubscription, type LifecycleEvent, type SubscriptionStore } from './subscriptions.ts';
import { postNotification } from './webhook-client.ts';

/**
 * Graph's notification sender: one POST per notificationUrl, batching every
 * item for it, as Graph batches (PLATFORMS.md C3). It does not retry; a test
 * that wants Graph's retry calls again.
 */

/** What Graph POSTed to the app and what came back. */
export interface NotificationDelivery {
  kind: 'change' | 'lifecycle';
  url: string;
  body: { value: Array<Record<string, unknown>> };
  /** The app's status; 0 when it could not be reached. */
  status: number;
  response: string;
  /** Wall-clock ms the app took; Graph counts over 3,000 as slow (PLATFORMS.md C3). */
  ms: number;
  error: string | undefined;
  at: Date;
}

/** Sent instead of each subscription's own clientState (a forged notification); undefined keeps them. */
export type ClientStateOverride = string | null | undefined;

const timeoutMs = 15_000;

export class Notifier {
  readonly deliveries = new Recording<NotificationDelivery>();
  readonly #clock: Clock;
  readonly #tenantId: string;
  readonly #subscriptions: SubscriptionStore;

  constructor(clock: Clock, tenantId: string, subscriptions: SubscriptionStore) {
    this.#clock = clock;
    this.#tenantId = tenantId;
    this.#subscriptions = subscriptions;
  }

  /** A `created` item per message and live subscription that covers its folder. */
  changes(mailbox: OutlookMailbox, entries: MailboxEntry[], clientState: ClientStateOverride): Promise<NotificationDelivery[]> {
    const pairs = this.#subscriptions.live()
      .filter((held) => held.userId === mailbox.user.id && held.subscription.changeType.split(',').includes('created'))
      .flatMap((held) => entries.filter((entry) => held.folder === undefined || held.folder === entry.folder).map((entry) => ({ held, entry })));
    return this.#send('change', pairs.map(({ held, entry }) => [held.subscription.notificationUrl, changeItem(held, entry, this.#tenantId)]), clientState);
  }

  /** To each live subscription with a lifecycleNotificationUrl; `subscriptionRemoved` deletes them first, as Graph has. */
  lifecycle(mailbox: OutlookMailbox, event: LifecycleEvent, clientState: ClientStateOverride): Promise<NotificationDelivery[]> {
    const held = this.#subscriptions.live().filter((h) => h.userId === mailbox.user.id && h.subscription.lifecycleNotificationUrl !== null);
    if (held.length === 0) throw new Error(`${mailbox.user.address} has no live subscription with a lifecycleNotificationUrl`);
    if (event === 'subscriptionRemoved') for (const h of held) this.#subscriptions.delete(h.subscription.id);
    return this.#send('lifecycle', held.map((h: HeldSubscription) => [h.subscription.lifecycleNotificationUrl!, lifecycleItem(h, event, this.#tenantId)]), clientState);
  }

  async #send(kind: NotificationDelivery['kind'], items: Array<[string, Record<string, unknown>]>, clientState: ClientStateOverride): Promise<NotificationDelivery[]> {
    const byUrl = new Map<string, Array<Record<string, unknown>>>();
    for (const [url, item] of items) {
      if (clientState !== undefined) item.clientState = clientState;
      byUrl.set(url, [...(byUrl.get(url) ?? []), item]);
    }
    const sent: NotificationDelivery[] = [];
    for (const [url, value] of byUrl) {
      const at = this.#clock.now();
      const post = await postNotification(url, { value }, timeoutMs);
      const delivery: NotificationDelivery = { kind, url, body: { value }, status: post.status, response: post.body, ms: post.ms, error: post.error, at };
      this.deliveries.add(delivery);
      sent.push(delivery);
    }
    return sent;
  }
}
