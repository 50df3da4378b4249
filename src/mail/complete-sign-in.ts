import type { Mailbox } from '../domain/mailbox.ts';
import type { Member } from '../domain/member.ts';
import { ForbiddenError, GuanxiError, UserInputError } from '../errors.ts';
import { textReply } from '../reply.ts';
import { providerName, withWatch, type MailDeps } from './mail-deps.ts';
import { notConfigured } from './sign-in.ts';
import { appOnlyGrant, type MailProvider } from './mail-port.ts';

/**
 * The OAuth callback: the rep granted access. The grant is stored encrypted,
 * push notifications start, and the backfill of the window is set going.
 * Returns the mailbox; the caller starts the backfill.
 */
export async function completeSignIn(deps: MailDeps, provider: MailProvider, code: string, state: string): Promise<Mailbox> {
  const claims = deps.secrets.verify(state, deps.clock.now());
  if (!claims || claims['provider'] !== provider || !claims['member']) {
    throw new UserInputError('This sign-in link has expired or was not made by guanxi. Type /crm connect again in Slack for a new one.');
  }
  const { address, refreshToken } = await deps.connectors.get(provider)!.completeSignIn(code);
  return connectMailbox(deps, provider, claims['member'], address, refreshToken);
}

/**
 * An admin connects a colleague's Outlook mailbox with the app's own access
 * (Microsoft's client credentials, granted tenant-wide): no sign-in by the rep.
 * The mailbox belongs to the team member with that address, else to the admin.
 */
export async function connectAppOnly(deps: MailDeps, provider: MailProvider, admin: Member, typed: string): Promise<Mailbox> {
  if (admin.role !== 'admin') throw new ForbiddenError('Only an admin can connect someone else\'s mailbox. Connect your own with /crm connect outlook.');
  const connector = deps.connectors.get(provider);
  if (!connector) throw notConfigured(provider);
  if (!connector.appOnly) throw new UserInputError(`${providerName[provider]} mailboxes can only be connected by their owner's own sign-in.`);
  const address = await connector.appOnly(typed);
  const owner = (await deps.store.members.list()).find((m) => m.email === address);
  return connectMailbox(deps, provider, owner?.id ?? admin.id, address, appOnlyGrant);
}

/** Stores a mailbox's grant encrypted, starts push notifications, and sets the backfill of the window going (the caller runs it). */
async function connectMailbox(deps: MailDeps, provider: MailProvider, memberId: string, address: string, refreshToken: string): Promise<Mailbox> {
  const connector = deps.connectors.get(provider)!;
  const now = deps.clock.now();
  const id = `${provider}:${address.toLowerCase()}`;
  const existing = await deps.store.mailboxes.get(id);
  if (existing && existing.memberId !== memberId && existing.status === 'active') {
    throw new GuanxiError('conflict', `${address} is already connected by another member of the team. Ask them to disconnect it first.`);
  }
  const since = new Date(now.getTime() - deps.backfillDays * 86_400_000);
  const connected: Mailbox = {
    id,
    provider,
    address: address.toLowerCase(),
    memberId,
    status: 'active',
    refreshToken: deps.secrets.encrypt(refreshToken),
    cursor: existing?.cursor ?? null,
    watchExpiresAt: existing?.watchExpiresAt ?? null,
    subscriptionId: existing?.subscriptionId ?? null,
    lastSyncAt: existing?.lastSyncAt ?? null,
    loggedCount: existing?.loggedCount ?? 0,
    syncRequests: existing?.syncRequests ?? 0,
    lastError: null,
    lastErrorAt: null,
    // A reconnect after a lost grant catches up from where the sync stood; a first connect reads the window.
    backfill: existing?.lastSyncAt
      ? null
      : { status: 'running', since: since.toISOString(), pageToken: null, scanned: 0, logged: 0, estimate: null, progress: null, startedAt: now.toISOString(), finishedAt: null },
    connectedAt: existing?.connectedAt ?? now.toISOString(),
  };
  // Nothing is kept unless the provider lets guanxi watch the mailbox: whatever stops it (a mailbox it cannot
  // reach, a missing permission, a passing outage), the page or reply says so, and signing in again starts afresh.
  const watch = await connector.open(connected, refreshToken).watch(connected.subscriptionId);
  const watched = withWatch(connected, watch);
  await deps.store.mailboxes.put(watched);
  await deps.notifier?.direct(memberId, textReply(`Connected ${providerName[provider]} ${address}. ${connected.backfill ? `Reading the last ${deps.backfillDays} days now; progress follows here.` : 'Catching up on what arrived meanwhile.'}`));
  return watched;
}
