import type { Clock } from '../clock.ts';
import type { Mailbox } from '../domain/mailbox.ts';
import type { IdGenerator } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { Notifier } from '../notifier.ts';
import type { Store } from '../store/store.ts';
import type { MailConnector, MailProvider, Watch } from './mail-port.ts';
import type { Secrets } from './secrets.ts';

/** What the mail side of the core works with; built once by the mail service. */
export interface MailDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  notifier: Notifier | null;
  connectors: ReadonlyMap<MailProvider, MailConnector>;
  secrets: Secrets;
  internalDomains: readonly string[];
  backfillDays: number;
  publicUrl: string;
}

/** Changes a mailbox record on its freshest copy, in one step of the store; null if it is gone. */
export function updateMailbox(deps: MailDeps, id: string, change: (mailbox: Mailbox) => Mailbox): Promise<Mailbox | null> {
  return deps.store.mailboxes.amend(id, change);
}

/** The client for a mailbox, with its grant decrypted. */
export function clientFor(deps: MailDeps, mailbox: Mailbox) {
  const connector = deps.connectors.get(mailbox.provider);
  if (!connector) throw new Error(`${mailbox.provider} is not configured`);
  return connector.open(mailbox, deps.secrets.decrypt(mailbox.refreshToken));
}

export const providerName: Record<MailProvider, string> = { gmail: 'Gmail', outlook: 'Outlook' };

/** A mailbox after a watch started or renewed: a cursor it did not have yet, the new expiry and subscription. */
export function withWatch(mailbox: Mailbox, watch: Watch): Mailbox {
  return { ...mailbox, cursor: mailbox.cursor ?? watch.cursor, watchExpiresAt: watch.expiresAt.toISOString(), subscriptionId: watch.subscriptionId };
}
