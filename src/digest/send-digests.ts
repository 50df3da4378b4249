import { ConflictError, isConfigInvalid } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { digestId } from '../domain/digest.ts';
import type { Member } from '../domain/member.ts';
import type { Notifier, PostedMessage } from '../notifier.ts';
import { isWorkingDay } from '../time/working-days.ts';
import { zonedParts, zonedToInstant } from '../time/zoned.ts';
import { buildDigest, type DigestDeps } from './build-digest.ts';
import { isoDate } from './window.ts';

/** When a digest comes unless its reader says otherwise. */
export const defaultDigestTime = '08:00';

/**
 * Sends each person their digest, once per working day of their own
 * calendar, at their digest time in their own zone. Run every minute: a
 * digest that came due while the service was down goes out when it is back,
 * the same day; one already sent that day is never sent again (the store
 * remembers it, across restarts and instances). The record is written before
 * the DM, so a store that cannot take it sends nothing rather than a digest
 * every minute; a failed DM takes its record back and is tried again next
 * minute. Someone who joined after their digest time waits for tomorrow.
 */
export async function sendDigests(deps: DigestDeps & { notifier: Notifier; log: Logger }): Promise<number> {
  let sent = 0;
  for (const member of await deps.store.members.list()) {
    const due = dueToday(member, deps.clock.now(), deps.defaultTimeZone);
    if (!due || (await deps.store.digests.get(member.id, due.date))) continue;
    try {
      const digest = await buildDigest(deps, member);
      await deps.store.digests.insert({ id: digestId(member.id, due.date), memberId: member.id, date: due.date, sentAt: deps.clock.now().toISOString(), sections: digest.sections });
      let reached: PostedMessage | null;
      try {
        reached = await deps.notifier.direct(member.id, digest.reply);
      } catch (error) {
        // Not sent after all: the record goes, and the next minute tries again.
        await deps.store.digests.remove(member.id, due.date);
        throw error;
      }
      // Someone Slack cannot reach today is not tried again until tomorrow.
      if (!reached) deps.log.warn(`${member.id} cannot get a Slack DM: today's digest is not sent`);
      sent++;
    } catch (error) {
      if (error instanceof ConflictError) continue;
      if (isConfigInvalid(error)) {
        // Every other DM would be refused the same way: no more digests are built for nothing this run.
        deps.log.error(`No digest can be sent: ${error.message} They go out at the first run after.`);
        break;
      }
      deps.log.error(`the digest for ${member.id} could not be sent; it is tried again next minute`, error);
    }
  }
  return sent;
}

/** Today's date in the member's zone if their digest is due by now, else null. */
function dueToday(member: Member, now: Date, defaultTimeZone: string): { date: string } | null {
  if (member.id.startsWith('terminal:') || member.digest?.off) return null;
  const tz = member.tz ?? defaultTimeZone;
  const local = zonedParts(now, tz);
  if (!isWorkingDay(local)) return null;
  const [hour, minute] = (member.digest?.time ?? defaultDigestTime).split(':').map(Number);
  const at = zonedToInstant({ year: local.year, month: local.month, day: local.day, hour: hour!, minute: minute! }, tz);
  if (now.getTime() < at.getTime() || Date.parse(member.createdAt) > at.getTime()) return null;
  return { date: isoDate(local) };
}
