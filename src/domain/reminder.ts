import { z } from 'zod';
import { instant } from './fields.ts';

export const reminderSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  /** The team member who is reminded. */
  ownerId: z.string().min(1),
  text: z.string().trim().min(1),
  dueAt: instant,
  status: z.enum(['open', 'done']),
  /** Set once the reminder has been delivered for its current `dueAt`; a snooze clears it. */
  deliveredAt: instant.nullable(),
  doneAt: instant.nullable(),
  createdAt: instant,
});

export type Reminder = z.infer<typeof reminderSchema>;
