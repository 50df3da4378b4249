import type { Mailbox } from '../domain/mailbox.ts';
import { GuanxiError, UserInputError } from '../errors.ts';
import { textReply } from '../reply.ts';
import { providerName, updateMailbox, withWatch, type MailDeps } from './mail-deps.ts';
import type { MailProvider } from './mail-port.ts';

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
  const memberId = claims['member'];
  const connector = deps.connectors.get(provider)!;
  const { address, refreshToken } = await connector.completeSignIn(code);
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
    lastError: null,
    lastErrorAt: null,
    // A reconnect after a lost grant catches up from where the sync stood; a first connect reads the window.
    backfill: existing?.lastSyncAt
      ? null
      : { status: 'running', since: since.toISOString(), pageToken: null, scanned: 0, logged: 0, estimate: null, progress: null, startedAt: now.toISOString(), finishedAt: null },
    connectedAt: existing?.connectedAt ?? now.toISOString(),
  };
  await deps.records.run(id, () => deps.store.mailboxes.put(connected));
  const watch = await connector.open(connected, refreshToken).watch(connected.subscriptionId);
  const watched = await updateMailbox(deps, id, (m) => withWatch(m, watch));
  await deps.notifier?.direct(memberId, textReply(`Connected ${providerName[provider]} ${address}. ${connected.backfill ? `Reading the last ${deps.backfillDays} days now; progress follows here.` : 'Catching up on what arrived meanwhile.'}`));
  return watched!;
}
