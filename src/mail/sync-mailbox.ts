import type { Mailbox } from '../domain/mailbox.ts';
import { GuanxiError, isConfigInvalid } from '../errors.ts';
import type { InboundMessage } from '../ingest/inbound-message.ts';
import { ingestMessages } from '../ingest/ingest.ts';
import { textReply } from '../reply.ts';
import { clientFor, providerName, updateMailbox, type MailDeps } from './mail-deps.ts';
import type { ListedPage, MailboxClient } from './mail-port.ts';
import { signInLink } from './sign-in.ts';

/** A resync after a lost cursor reads back this far before the last good sync, for mail that arrived late. */
const resyncOverlapMs = 24 * 60 * 60 * 1000;

/**
 * Logs what arrived in a mailbox since its cursor. The cursor moves only after
 * the interactions are stored, so a crash in between reads the same mail again
 * (and logs it once). Throws ProviderTemporaryError for the caller to retry.
 *
 * One sync of a mailbox runs at a time, across every instance sharing the
 * store: two at once would read the same mail twice and could set the cursor
 * back. A push that finds one running counts itself in `syncRequests`, and
 * the sync running goes round again when the count moved meanwhile, for mail
 * that may have arrived after it read. Having counted, the push tries once
 * more, in case that sync ended before it could see the count.
 */
export async function syncMailbox(deps: MailDeps, mailboxId: string): Promise<void> {
  let counted = false;
  for (;;) {
    const requests = (await deps.store.mailboxes.get(mailboxId))?.syncRequests ?? 0;
    if (await deps.store.runOnce(`sync:${mailboxId}`, () => syncOnce(deps, mailboxId))) {
      if (((await deps.store.mailboxes.get(mailboxId))?.syncRequests ?? 0) === requests) return;
    } else if (counted) {
      return;
    } else {
      await updateMailbox(deps, mailboxId, (m) => ({ ...m, syncRequests: m.syncRequests + 1 }));
      counted = true;
    }
  }
}

async function syncOnce(deps: MailDeps, mailboxId: string): Promise<void> {
  const mailbox = await deps.store.mailboxes.get(mailboxId);
  if (!mailbox || mailbox.status !== 'active' || mailbox.cursor === null) return;
  await guarded(deps, mailbox, async () => {
    const client = clientFor(deps, mailbox);
    const { messages, cursor } = await changes(deps, client, mailbox);
    const report = await ingestMessages(deps, messages);
    await updateMailbox(deps, mailbox.id, (m) => ({
      ...m,
      cursor,
      lastSyncAt: deps.clock.now().toISOString(),
      loggedCount: m.loggedCount + report.interactions.length,
      lastError: null,
      lastErrorAt: null,
    }));
  });
}

async function changes(deps: MailDeps, client: MailboxClient, mailbox: Mailbox): Promise<{ messages: InboundMessage[]; cursor: string }> {
  try {
    return await client.changesSince(mailbox.cursor!);
  } catch (error) {
    if (!(error instanceof GuanxiError) || error.code !== 'cursor_expired') throw error;
    deps.log.warn(`${mailbox.id}: the provider no longer has our place in the mailbox; reading the window again`);
    // Watch first: its cursor is as of now, so nothing that arrives while we read is missed.
    const watch = await client.watch(mailbox.subscriptionId);
    const since = new Date((mailbox.lastSyncAt ? Date.parse(mailbox.lastSyncAt) : deps.clock.now().getTime() - deps.backfillDays * 86_400_000) - resyncOverlapMs);
    const messages: InboundMessage[] = [];
    let page: ListedPage | null = null;
    do {
      page = await client.listPage(since, page?.nextPageToken ?? null);
      messages.push(...page.messages);
    } while (page.nextPageToken);
    const cursor = page.cursor ?? watch.cursor;
    if (!cursor) throw new Error(`${mailbox.provider} gave no cursor after reading the window again`);
    await updateMailbox(deps, mailbox.id, (m) => ({ ...m, subscriptionId: watch.subscriptionId, watchExpiresAt: watch.expiresAt.toISOString() }));
    return { messages, cursor };
  }
}

/**
 * Runs mailbox work and records how it failed: a lost grant marks the mailbox
 * and tells the rep once, with a link to sign in again; a configuration an
 * admin must fix (the app's credentials refused) is told to the admins once
 * for all the provider's mailboxes; any failure but a lost grant is kept as
 * the last error (shown by /crm mail) and thrown on.
 */
export async function guarded(deps: MailDeps, mailbox: Mailbox, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const lostGrant = error instanceof GuanxiError && error.code === 'provider_auth';
    const said = error instanceof GuanxiError ? error.message : 'an unexpected error; it has been logged';
    if (isConfigInvalid(error)) await tellAdminsOnce(deps, mailbox.provider, said);
    const before = await deps.store.mailboxes.get(mailbox.id);
    await updateMailbox(deps, mailbox.id, (m) => ({ ...m, status: lostGrant ? 'needs_reconnect' : m.status, lastError: said, lastErrorAt: deps.clock.now().toISOString() }));
    if (!lostGrant) throw error;
    deps.log.warn(`${mailbox.id} needs to be reconnected: ${said}`);
    if (before?.status === 'active') {
      const link = await signInLink(deps, mailbox.provider, mailbox.memberId);
      await deps.notifier?.direct(mailbox.memberId, textReply(`guanxi can no longer read your ${providerName[mailbox.provider]} ${mailbox.address}: ${said} Your mail is not being logged until you <${link}|sign in again>.`));
    }
  }
}

/** A configuration problem that stops every mailbox of `provider`, told by DM to the admins unless a mailbox already records it. */
async function tellAdminsOnce(deps: MailDeps, provider: Mailbox['provider'], said: string): Promise<void> {
  if ((await deps.store.mailboxes.list()).some((m) => m.provider === provider && m.lastError === said)) return;
  deps.log.error(`${providerName[provider]} mailboxes cannot be read: ${said}`);
  const admins = (await deps.store.members.list()).filter((member) => member.role === 'admin');
  for (const admin of admins) await deps.notifier?.direct(admin.id, textReply(`guanxi cannot read ${providerName[provider]} mailboxes, so no mail is being logged from them: ${said}`));
}
