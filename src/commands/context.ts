import type { Clock } from '../clock.ts';
import type { Member } from '../domain/member.ts';
import type { IdGenerator } from '../ids.ts';
import type { JobInfo } from '../jobs/scheduler.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Notifier } from '../notifier.ts';
import type { PollService } from '../polls/poll-service.ts';
import type { Store } from '../store/store.ts';
import type { Directory } from '../team/directory.ts';

/** Everything a command handler may use: passed in, never imported. */
export interface CommandContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  directory: Directory;
  /** Who is asking. */
  actor: Member;
  /** The zone for people whose own zone is unknown. */
  defaultTimeZone: string;
  /** The team's own mail domains: never customers. */
  internalDomains: readonly string[];
  /** Null when no mail provider is configured. */
  mail: MailService | null;
  /** Null when people cannot be reached unasked (no Slack). */
  notifier: Notifier | null;
  /** The scheduled jobs of this instance; none from the terminal. */
  jobs: readonly JobInfo[];
  /** Null before the core started. */
  polls: PollService | null;
}

export function zoneOf(ctx: Pick<CommandContext, 'defaultTimeZone'>, member: { tz: string | null }): string {
  return member.tz ?? ctx.defaultTimeZone;
}
