import type { Mailbox } from '../domain/mailbox.ts';
import type { Member } from '../domain/member.ts';
import { textReply, type Reply } from '../reply.ts';
import { backfillMailbox } from './backfill-mailbox.ts';
import { completeSignIn, connectAppOnly } from './complete-sign-in.ts';
import { clientFor, updateMailbox, withWatch, type MailDeps } from './mail-deps.ts';
import type { MailProvider, OutgoingMail } from './mail-port.ts';
import { mailStatus } from './mail-status.ts';
import { connectCommand } from './sign-in.ts';
import { guarded, syncMailbox } from './sync-mailbox.ts';


/** Everything mail, for the front ends, the webhooks and the jobs. */
export interface MailService {
  connect(provider: MailProvider, memberId: string): Promise<Reply>;
  status(memberId: string): Promise<Reply>;
  /** The OAuth callback; the backfill then runs in the background. */
  completeSignIn(provider: MailProvider, code: string, state: string): Promise<Mailbox>;
  /** `/crm connect outlook <address>` by an admin: the app's own access; the backfill then runs in the background. */
  connectAppOnly(provider: MailProvider, admin: Member, address: string): Promise<Reply>;
  /** A push said the mailbox (by address, or by its subscription) changed; resolves once what arrived is stored. */
  notified(provider: MailProvider, mailbox: { address: string } | { subscriptionId: string }): Promise<'synced' | 'unknown_mailbox'>;
  /** Graph's lifecycle events (PLATFORMS.md C4): renew, recreate, or catch up. */
  lifecycle(provider: MailProvider, subscriptionId: string, event: LifecycleEvent): Promise<'handled' | 'unknown_mailbox'>;
  /** Renews every mailbox's watch (Google asks for a daily renewal; Graph's subscriptions last under three days), and catches up each. */
  renewWatches(): Promise<void>;
  /** Starts again the backfills a stop interrupted. */
  resumeBackfills(): Promise<void>;
  /** Sends a message from a connected mailbox (a poll); provider failures come out as the shared errors. */
  send(mailbox: Mailbox, mail: OutgoingMail): Promise<void>;
  /** Whether mail can be sent through this provider here (it is configured). */
  canSend(provider: MailProvider): boolean;
  /** Runs work after the request that asked for it was answered (Graph wants 202 within 3 s); `idle` waits for it. */
  later(what: string, work: () => Promise<unknown>): void;
  /** Waits for the background work under way (backfills); `stop` makes backfills pause after their current page. */
  idle(options?: { stop: boolean }): Promise<void>;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export function createMailService(deps: MailDeps): MailService {
  const find = async (provider: MailProvider, ref: { address: string } | { subscriptionId: string }) =>
    'address' in ref
      ? deps.store.mailboxes.byAddress(provider, ref.address)
      : ((await deps.store.mailboxes.list()).find((m) => m.provider === provider && m.subscriptionId === ref.subscriptionId) ?? null);
  const renew = (mailbox: Mailbox, subscriptionId: string | null) =>
    guarded(deps, mailbox, async () => {
      const watch = await clientFor(deps, mailbox).watch(subscriptionId);
      await updateMailbox(deps, mailbox.id, (m) => withWatch(m, watch));
    });
  const background = new Set<Promise<void>>();
  let stopping = false;
  const track = (what: string, started: Promise<unknown>) => {
    const work: Promise<void> = started.then(
      () => undefined,
      (error: unknown) => deps.log.error(what, error),
    );
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const inBackground = (mailboxId: string) =>
    track(`backfill of ${mailboxId} stopped; it resumes at the next start`, backfillMailbox(deps, mailboxId, () => stopping));
  /** A mailbox just connected: the backfill of its window, or a catch-up after a reconnect, in the background. */
  const started = (mailbox: Mailbox) => {
    if (mailbox.backfill?.status === 'running') inBackground(mailbox.id);
    else track(`catching up ${mailbox.id} failed`, syncMailbox(deps, mailbox.id));
    return mailbox;
  };
  return {
    connect: (provider, memberId) => connectCommand(deps, provider, memberId),
    status: async (memberId) => mailStatus(await deps.store.mailboxes.byMember(memberId), deps.clock.now()),
    async completeSignIn(provider, code, state) {
      return started(await completeSignIn(deps, provider, code, state));
    },
    async connectAppOnly(provider, admin, address) {
      const mailbox = started(await connectAppOnly(deps, provider, admin, address));
      return textReply(`Connected ${mailbox.address} with guanxi's own access; its customer mail is logged from now on${mailbox.backfill ? `, starting with the last ${deps.backfillDays} days` : ''}.`);
    },
    async notified(provider, ref) {
      const mailbox = await find(provider, ref);
      if (!mailbox) return 'unknown_mailbox';
      await syncMailbox(deps, mailbox.id);
      return 'synced';
    },
    async lifecycle(provider, subscriptionId, event) {
      const mailbox = await find(provider, { subscriptionId });
      if (!mailbox) return 'unknown_mailbox';
      if (event === 'reauthorizationRequired') await renew(mailbox, subscriptionId);
      if (event === 'subscriptionRemoved') await renew(mailbox, null);
      if (event !== 'reauthorizationRequired') await syncMailbox(deps, mailbox.id);
      return 'handled';
    },
    async renewWatches() {
      for (const mailbox of await deps.store.mailboxes.list()) {
        if (mailbox.status !== 'active' || !deps.connectors.has(mailbox.provider)) continue;
        await renew(mailbox, mailbox.subscriptionId).catch((error: unknown) => deps.log.error(`renewing the watch of ${mailbox.id} failed; tried again at the next run`, error));
        // A notification that was lost (or answered before its mail was read, as Graph's are) is caught up here at the latest.
        await syncMailbox(deps, mailbox.id).catch((error: unknown) => deps.log.error(`the daily catch-up of ${mailbox.id} failed; tried again at the next notification`, error));
      }
    },
    async resumeBackfills() {
      for (const mailbox of await deps.store.mailboxes.list()) {
        if (mailbox.status === 'active' && mailbox.backfill?.status === 'running' && deps.connectors.has(mailbox.provider)) inBackground(mailbox.id);
      }
    },
    send: (mailbox, mail) => clientFor(deps, mailbox).send(mail),
    canSend: (provider) => deps.connectors.has(provider),
    later: (what, work) => track(`${what} failed`, work()),
    async idle(options) {
      if (options?.stop) stopping = true;
      while (background.size > 0) await Promise.all(background);
    },
  };
}
