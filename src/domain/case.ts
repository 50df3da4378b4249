import { z } from 'zod';
import { instant } from './fields.ts';

/** A complaint or request: who raised it, when, and by when it must be resolved. */
export const caseSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  text: z.string().trim().min(1),
  openedBy: z.string().min(1),
  openedAt: instant,
  dueAt: instant,
  status: z.enum(['open', 'closed']),
  /** Set once, when the open case passed `dueAt` and the owner's manager was told. */
  escalatedAt: instant.nullable(),
  /** Who has been told, comma-separated: the owner's manager, or the admins; filled in as each DM goes out. */
  escalatedTo: z.string().nullable(),
  closedAt: instant.nullable(),
  closedBy: z.string().nullable(),
  closeNote: z.string().trim().min(1).nullable(),
});

export type Case = z.infer<typeof caseSchema>;
