import { z } from 'zod';
import { emailAddress, instant, timeOfDay, timeZone } from './fields.ts';

export const memberSchema = z.object({
  /** A Slack user id (`U…`), or `terminal:<login>` for someone using the terminal. */
  id: z.string().min(1),
  name: z.string().min(1),
  email: emailAddress.nullable(),
  /** Null until known; the default zone applies meanwhile. */
  tz: timeZone.nullable(),
  role: z.enum(['rep', 'manager', 'admin']),
  managerId: z.string().nullable(),
  createdAt: instant,
  /** When name, email and zone were last read from Slack. */
  profileCheckedAt: instant.nullable(),
  /** The morning digest, on working days at `time` in the member's zone; absent means 08:00. */
  digest: z.object({ time: timeOfDay, off: z.boolean() }).optional(),
});

export type Member = z.infer<typeof memberSchema>;
