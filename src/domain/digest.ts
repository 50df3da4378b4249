import { z } from 'zod';
import { calendarDate, instant } from './fields.ts';

/** A digest sent: one per person per day of their own calendar, so none is ever sent twice. */
export const digestSentSchema = z.object({
  /** `<member id>:<date>`. */
  id: z.string().min(1),
  memberId: z.string().min(1),
  /** The day in the member's zone it was for. */
  date: calendarDate,
  sentAt: instant,
  /** The sections it had, by title: what a manager was told that day. */
  sections: z.array(z.string()),
});

export type DigestSent = z.infer<typeof digestSentSchema>;

export function digestId(memberId: string, date: string): string {
  return `${memberId}:${date}`;
}
