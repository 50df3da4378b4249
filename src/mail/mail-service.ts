import type { Mailbox } from '../domain/mailbox.ts';
import type { Reply } from '../reply.ts';
import { backfillMailbox } from './backfill-mailbox.ts';
import { completeSignIn } from './complete-sign-in.ts';
import { clientFor, updateMailbox, type MailDeps } from './mail-deps.ts';
import type { MailProvider } from './mail-port.ts';
import { mailStatus } from './mail-status.ts';
import { connectCommand } from './sign-in.ts';
import { guarded, syncMailbox } from './sync-mailbox.ts';

/** A watch is renewed once it has less than this left (Gmail's lasts 7 days; Google asks for a daily renewal). */
const renewWithinMs = 6 * 86_400_000;

/** Everything mail, for the front ends, the webhooks and the jobs. */
export interface MailService {
  connect(provider: MailProvider, memberId: string): Promise<Reply>;
  status(memberId: string): Promise<Reply>;
  /** The OAuth callback; the backfill then runs in the background. */
  completeSignIn(provider: MailProvider, code: string, state: string): Promise<Mailbox>;
  /** A push said the mailbox changed; resolves once what arrived is stored. */
  notified(provider: MailProvider, address: string): Promise<'synced' | 'unknown_mailbox'>;
  renewWatches(): Promise<void>;
  /** Starts again the backfills a stop interrupted. */
  resumeBackfills(): Promise<void>;
  /** Waits for the background work under way (backfills); `stop` makes backfills pause after their current page. */
  idle(options?: { stop: boolean }): Promise<void>;
}

export function createMailService(deps: MailDeps): MailService {
  const background = new Set<Promise<void>>();
  let stopping = false;
  const inBackground = (mailboxId: string) => {
    const work = backfillMailbox(deps, mailboxId, () => stopping)
      .catch((error: unknown) => deps.log.error(`backfill of ${mailboxId} stopped; it resumes at the next start`, error))
      .finally(() => background.delete(work));
    background.add(work);
  };
  return {
    connect: (provider, memberId) => connectCommand(deps, provider, memberId),
    status: async (memberId) => mailStatus(await deps.store.mailboxes.byMember(memberId), deps.clock.now()),
    async completeSignIn(provider, code, state) {
      const mailbox = await completeSignIn(deps, provider, code, state);
      if (mailbox.backfill?.status === 'running') inBackground(mailbox.id);
      else void syncMailbox(deps, mailbox.id).catch((error: unknown) => deps.log.error(`catching up ${mailbox.id} failed`, error));
      return mailbox;
    },
    async notified(provider, address) {
      const mailbox = await deps.store.mailboxes.byAddress(provider, address);
      if (!mailbox) return 'unknown_mailbox';
      await syncMailbox(deps, mailbox.id);
      return 'synced';
    },
    async renewWatches() {
      const now = deps.clock.now().getTime();
      for (const mailbox of await deps.store.mailboxes.list()) {
        if (mailbox.status !== 'active' || !deps.connectors.has(mailbox.provider)) continue;
        if (mailbox.watchExpiresAt && Date.parse(mailbox.watchExpiresAt) - now > renewWithinMs) continue;
        await guarded(deps, mailbox, async () => {
          const { cursor, expiresAt } = await clientFor(deps, mailbox).watch();
          await updateMailbox(deps, mailbox.id, (m) => ({ ...m, cursor: m.cursor ?? cursor, watchExpiresAt: expiresAt.toISOString() }));
        }).catch((error: unknown) => deps.log.error(`renewing the watch of ${mailbox.id} failed; tried again at the next run`, error));
      }
    },
    async resumeBackfills() {
      for (const mailbox of await deps.store.mailboxes.list()) {
        if (mailbox.status === 'active' && mailbox.backfill?.status === 'running' && deps.connectors.has(mailbox.provider)) inBackground(mailbox.id);
      }
    },
    async idle(options) {
      if (options?.stop) stopping = true;
      while (background.size > 0) await Promise.all(background);
    },
  };
}
