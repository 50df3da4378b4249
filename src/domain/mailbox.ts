import { z } from 'zod';
import { emailAddress, instant } from './fields.ts';

/** A rep's connected mailbox and where its sync stands. */
export const mailboxSchema = z.object({
  /** `gmail:jane@ourteam.io` */
  id: z.string().min(1),
  provider: z.enum(['gmail', 'outlook']),
  address: emailAddress,
  memberId: z.string().min(1),
  status: z.enum(['active', 'needs_reconnect', 'disconnected']),
  /** The OAuth refresh token, encrypted with ENCRYPTION_KEY (never stored in the clear). */
  refreshToken: z.string().min(1),
  /** Gmail's historyId, or Graph's deltaLink: where the next sync starts. Null until the first sync. */
  cursor: z.string().nullable(),
  /** When the provider's push subscription (Gmail watch, Graph subscription) lapses. */
  watchExpiresAt: instant.nullable(),
  /** Graph's subscription id; null for Gmail. */
  subscriptionId: z.string().nullable(),
  lastSyncAt: instant.nullable(),
  /** Interactions logged from this mailbox so far. */
  loggedCount: z.number().int().nonnegative(),
  /**
   * Pushes that found the mailbox being synced elsewhere, counted so that the
   * sync holding it goes round again for their mail (sync-mailbox.ts).
   */
  syncRequests: z.number().int().nonnegative().default(0),
  lastError: z.string().nullable(),
  lastErrorAt: instant.nullable(),
  /** The first fill of the window after connecting; resumable. Null once done and reported. */
  backfill: z
    .object({
      status: z.enum(['running', 'done']),
      /** Mail from this instant on is fetched. */
      since: instant,
      /** The provider's page token of the listing still to fetch; null at the start. */
      pageToken: z.string().nullable(),
      scanned: z.number().int().nonnegative(),
      logged: z.number().int().nonnegative(),
      /** An estimate of the messages in the window, for the progress bar. */
      estimate: z.number().int().nonnegative().nullable(),
      /** The Slack message that shows progress: channel and ts, once posted. */
      progress: z.object({ channel: z.string(), ts: z.string() }).nullable(),
      startedAt: instant,
      finishedAt: instant.nullable(),
    })
    .nullable(),
  connectedAt: instant,
});

export type Mailbox = z.infer<typeof mailboxSchema>;
