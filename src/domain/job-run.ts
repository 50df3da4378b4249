import { z } from 'zod';
import { instant } from './fields.ts';

/** What is known of a scheduled job's runs, for `/crm jobs`: one record per job, by its name. */
export const jobRunSchema = z.object({
  /** The job's name. */
  id: z.string().min(1),
  runs: z.number().int().nonnegative(),
  lastStartedAt: instant.nullable(),
  lastFinishedAt: instant.nullable(),
  lastOutcome: z.enum(['ok', 'failed']).nullable(),
  /** The last failure, kept after later runs succeed so an admin can still read it. */
  lastError: z.string().nullable(),
  lastFailedAt: instant.nullable(),
  failuresInARow: z.number().int().nonnegative(),
});

export type JobRun = z.infer<typeof jobRunSchema>;
