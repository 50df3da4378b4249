import type { Mailbox } from '../domain/mailbox.ts';
import type { InboundMessage } from '../ingest/inbound-message.ts';

export type MailProvider = Mailbox['provider'];

/**
 * What a mail adapter (Gmail, Outlook) gives the core. Provider failures come
 * out as the shared errors of src/errors.ts, which decide the next step:
 * ProviderTemporaryError (retry later), ProviderAuthError (ask the rep to sign
 * in again), CursorExpiredError (read the window again).
 */
export interface MailConnector {
  provider: MailProvider;
  /** Where the rep's browser goes to grant access; `state` comes back to the callback. */
  signInUrl(state: string): Promise<string>;
  /** Trades the callback's code for the mailbox address and a refresh token. */
  completeSignIn(code: string): Promise<{ address: string; refreshToken: string }>;
  /**
   * A client for one mailbox, acting with its refresh token (in the clear,
   * decrypted by the core), or with the app's own access when the grant is `appOnlyGrant`.
   */
  open(mailbox: Mailbox, refreshToken: string): MailboxClient;
  /**
   * Where the provider lets an admin connect any mailbox of the organisation
   * with the app's own access (Microsoft's client credentials): checks that
   * the mailbox can be read and returns its address as the provider spells it.
   */
  appOnly?(address: string): Promise<string>;
}

/** Stored, encrypted, in place of a refresh token for a mailbox read with the app's own access. */
export const appOnlyGrant = 'app-only';

export interface Watch {
  /** The cursor as of now, when the provider gives one with the watch (Gmail's historyId); null otherwise. */
  cursor: string | null;
  expiresAt: Date;
  /** The provider's id of the push subscription, when it has one (Graph); null for Gmail. */
  subscriptionId: string | null;
}

export interface ListedPage {
  messages: InboundMessage[];
  nextPageToken: string | null;
  estimate: number | null;
  /** On the last page, the cursor the listing itself reached, when it yields one (Graph's deltaLink); else null. */
  cursor: string | null;
}

export interface MailboxClient {
  /** Starts push notifications, or renews the subscription `subscriptionId` (recreating it if it is gone). */
  watch(subscriptionId: string | null): Promise<Watch>;
  /** Messages added since `cursor`, and the cursor to start from next time. */
  changesSince(cursor: string): Promise<{ messages: InboundMessage[]; cursor: string }>;
  /** One page of the mailbox's mail from `since` on. */
  listPage(since: Date, pageToken: string | null): Promise<ListedPage>;
  /**
   * Sends a message from this mailbox, kept in its sent mail. A grant that
   * does not allow sending (connected before guanxi asked for it) is a
   * ProviderAuthError that says so.
   */
  send(mail: OutgoingMail): Promise<void>;
}

/** A message guanxi sends from a rep's own mailbox: the mailbox is the sender. */
export interface OutgoingMail {
  to: { address: string; name: string | null };
  subject: string;
  /** The plain-text part, for mail readers that show no HTML. */
  text: string;
  html: string;
}
