import { z } from 'zod';
import { isValidDate } from '../time/zoned.ts';
import { emailAddress, instant, timeOfDay, timeZone } from './fields.ts';

/** When a contact wants to be reached: polls wait for these hours, in the contact's own zone. */
export const preferredHoursSchema = z.object({ from: timeOfDay, to: timeOfDay, tz: timeZone });

export type PreferredHours = z.infer<typeof preferredHoursSchema>;

export const contactSchema = z.object({
  id: z.string().min(1),
  email: emailAddress,
  name: z.string().trim().min(1).nullable(),
  customerId: z.string().nullable(),
  /** How the contact came to be known: typed by a rep, or seen in mail. */
  source: z.enum(['manual', 'mail']),
  createdAt: instant,
  createdBy: z.string().min(1),
  /** The contact asked not to be contacted unasked: no polls, and every card warns. */
  optedOut: z.object({ at: instant, by: z.string().min(1) }).optional(),
  preferredHours: preferredHoursSchema.optional(),
  /** `MM-DD`, or `YYYY-MM-DD` when the year is known. */
  birthday: z
    .string()
    .regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date such as 1984-03-21 or 03-21')
    .refine(isBirthday, 'a date on the calendar, such as 1984-03-21 or 03-21')
    .optional(),
});

export type Contact = z.infer<typeof contactSchema>;

/** `MM-DD` that some year has (02-29 included), or `YYYY-MM-DD` that its year has. */
function isBirthday(text: string): boolean {
  const [year, month, day] = text.length === 5 ? [2000, ...text.split('-').map(Number)] : text.split('-').map(Number);
  return isValidDate({ year: year!, month: month!, day: day! });
}
