import { z } from 'zod';
import { emailAddress, instant, timeZone } from './fields.ts';

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
});

export type Member = z.infer<typeof memberSchema>;
