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
  signInUrl(state: string): string;
  /** Trades the callback's code for the mailbox address and a refresh token. */
  completeSignIn(code: string): Promise<{ address: string; refreshToken: string }>;
  /** A client for one mailbox, acting with its refresh token (in the clear, decrypted by the core). */
  open(mailbox: Mailbox, refreshToken: string): MailboxClient;
}

export interface MailboxClient {
  /** Starts or renews push notifications; returns the cursor as of now and when the watch lapses. */
  watch(): Promise<{ cursor: string; expiresAt: Date }>;
  /** Messages added since `cursor`, and the cursor to start from next time. */
  changesSince(cursor: string): Promise<{ messages: InboundMessage[]; cursor: string }>;
  /** One page of the mailbox's mail from `since` on, newest first. */
  listPage(since: Date, pageToken: string | null): Promise<{ messages: InboundMessage[]; nextPageToken: string | null; estimate: number | null }>;
}
