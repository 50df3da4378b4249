import type { Clock } from '../clock.ts';
import type { Member } from '../domain/member.ts';
import type { IdGenerator } from '../ids.ts';
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
}

export function zoneOf(ctx: Pick<CommandContext, 'defaultTimeZone'>, member: { tz: string | null }): string {
  return member.tz ?? ctx.defaultTimeZone;
}
