import type { Reply } from './reply.ts';

/** The port through which the core reaches a person unasked: a Slack DM. */
export interface Notifier {
  /** Sends `reply` privately to the member; false when the member cannot be reached this way. */
  direct(memberId: string, reply: Reply): Promise<boolean>;
}
