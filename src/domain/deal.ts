import { z } from 'zod';
import { instant } from './fields.ts';

/** In the order a deal moves through them; won and lost close it. */
export const dealStages = ['lead', 'qualified', 'proposal', 'won', 'lost'] as const;
export type DealStage = (typeof dealStages)[number];

export function isClosedStage(stage: DealStage): boolean {
  return stage === 'won' || stage === 'lost';
}

/** The largest amount a deal may have: a trillion, far past any real deal, well within exact cents. */
export const maxDealAmount = 1e12;

/** An amount in the team's own currency; commands round it to the cent. */
export const dealAmount = z.number().nonnegative().max(maxDealAmount);

/** One change of stage or amount, kept so the digest can say which deals moved. */
export const dealChangeSchema = z.object({
  at: instant,
  by: z.string().min(1),
  stage: z.enum(dealStages),
  amount: dealAmount,
});

export const dealSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  name: z.string().trim().min(1),
  amount: dealAmount,
  stage: z.enum(dealStages),
  createdBy: z.string().min(1),
  createdAt: instant,
  updatedAt: instant,
  /** When it was won or lost; null while open. */
  closedAt: instant.nullable(),
  /** Oldest first; the first entry is the deal as created. */
  history: z.array(dealChangeSchema).min(1),
});

export type Deal = z.infer<typeof dealSchema>;
