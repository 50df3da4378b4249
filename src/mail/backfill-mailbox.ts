import type { Mailbox } from '../domain/mailbox.ts';
import { ingestMessages } from '../ingest/ingest.ts';
import { replyOf, type Reply } from '../reply.ts';
import { clientFor, providerName, updateMailbox, type MailDeps } from './mail-deps.ts';
import { guarded } from './sync-mailbox.ts';

/**
 * Reads a newly connected mailbox's window, page by page, logging as it goes.
 * Where it stands (the next page, the counts) is stored after every page, so
 * a restart resumes at the page it stopped on; a stop waits for the page under
 * way, no longer. The rep watches one Slack message that is updated as it goes.
 *
 * One reader at a time: each page is read under the store's lock for this
 * mailbox, and a reader that finds another at work (another instance that
 * resumed it too, or a reconnect while it runs) leaves the rest to it, so no
 * page is read or counted twice.
 */
export async function backfillMailbox(deps: MailDeps, mailboxId: string, stopping: () => boolean): Promise<void> {
  let more = true;
  while (more && !stopping()) {
    more = false;
    const alone = await deps.store.runOnce(`backfill:${mailboxId}`, async () => {
      more = await backfillPage(deps, mailboxId);
    });
    if (!alone) return;
  }
}

/** The next page of the backfill; resolves true while pages remain to read. */
async function backfillPage(deps: MailDeps, mailboxId: string): Promise<boolean> {
  const mailbox = await deps.store.mailboxes.get(mailboxId);
  if (!mailbox || mailbox.status !== 'active' || mailbox.backfill?.status !== 'running') return false;
  const backfill = mailbox.backfill;
  let done = false;
  await guarded(deps, mailbox, async () => {
    const page = await clientFor(deps, mailbox).listPage(new Date(backfill.since), backfill.pageToken);
    const report = await ingestMessages(deps, page.messages);
    done = page.nextPageToken === null;
    const now = deps.clock.now().toISOString();
    const updated = await updateMailbox(deps, mailboxId, (m) => ({
      ...m,
      loggedCount: m.loggedCount + report.interactions.length,
      backfill: m.backfill && {
        ...m.backfill,
        pageToken: page.nextPageToken,
        scanned: m.backfill.scanned + page.messages.length,
        logged: m.backfill.logged + report.interactions.length,
        estimate: m.backfill.estimate ?? page.estimate,
        status: done ? 'done' : 'running',
        finishedAt: done ? now : null,
      },
      lastSyncAt: done ? (m.lastSyncAt ?? now) : m.lastSyncAt,
      cursor: page.cursor ?? m.cursor,
    }));
    if (updated) await showProgress(deps, updated);
  });
  return !done;
}

/** Posts the progress message the first time, and updates it after. */
async function showProgress(deps: MailDeps, mailbox: Mailbox): Promise<void> {
  if (!deps.notifier || !mailbox.backfill) return;
  const reply = progressReply(mailbox, deps.backfillDays);
  if (mailbox.backfill.progress) return deps.notifier.update(mailbox.backfill.progress, reply);
  const posted = await deps.notifier.direct(mailbox.memberId, reply);
  if (posted) await updateMailbox(deps, mailbox.id, (m) => ({ ...m, backfill: m.backfill && { ...m.backfill, progress: posted } }));
}

export function progressReply(mailbox: Mailbox, days: number): Reply {
  const backfill = mailbox.backfill!;
  const name = `${providerName[mailbox.provider]} ${mailbox.address}`;
  if (backfill.status === 'done') {
    return replyOf([
      { type: 'text', text: `Done reading the last ${days} days of ${name}: ${backfill.scanned.toLocaleString('en-US')} messages read, ${backfill.logged.toLocaleString('en-US')} logged to customers' timelines.` },
      { type: 'context', text: 'New mail is logged as it arrives. /crm mail shows how each mailbox is doing.' },
    ]);
  }
  const total = Math.max(backfill.estimate ?? 0, backfill.scanned);
  return replyOf([
    { type: 'text', text: `Reading the last ${days} days of ${name}…` },
    { type: 'text', text: `${bar(backfill.scanned, total)} ${backfill.scanned.toLocaleString('en-US')}${total ? ` of about ${total.toLocaleString('en-US')}` : ''} messages read, ${backfill.logged.toLocaleString('en-US')} logged` },
  ]);
}

/** `▓▓▓▓▓░░░░░` for 5 of 10. */
export function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
