import type { Clock } from '../clock.ts';
import type { IdGenerator } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Notifier } from '../notifier.ts';
import type { Store } from '../store/store.ts';
import type { PollLinks } from './poll-links.ts';

/** What the poll side of the core works with; built once, when the core starts. */
export interface PollDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Null without Slack: no channel polls, no detractor DMs. */
  notifier: Notifier | null;
  /** Null without a mail provider: no polls by mail. */
  mail: MailService | null;
  /** Null without ENCRYPTION_KEY, which only mail needs: no answer links, so no polls by mail. */
  links: PollLinks | null;
  /** Zone of people whose own zone is unknown. */
  defaultTimeZone: string;
}

/** Answer links, like a poll's buttons, work this long after the poll is asked. */
export const pollLifetimeMs = 30 * 86_400_000;
