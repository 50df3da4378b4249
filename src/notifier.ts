import type { Reply } from './reply.ts';

/** A message the core posted, so it can be changed later (a progress bar). */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** The port through which the core reaches a person unasked: a Slack DM. */
export interface Notifier {
  /** Sends `reply` privately to the member; null when the member cannot be reached this way. */
  direct(memberId: string, reply: Reply): Promise<PostedMessage | null>;
  /** Posts `reply` in a channel the app is in (a customer's linked channel). */
  post(channel: string, reply: Reply): Promise<PostedMessage>;
  /** Replaces what a posted message says. */
  update(message: PostedMessage, reply: Reply): Promise<void>;
}
