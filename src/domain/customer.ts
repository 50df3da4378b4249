import { z } from 'zod';
import { domainName, instant } from './fields.ts';

export const customerSchema = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1),
  /** The customer's own mail domains; mail from these resolves to the customer. */
  domains: z.array(domainName),
  /** The team member who owns the account, if any. */
  ownerId: z.string().nullable(),
  createdAt: instant,
  createdBy: z.string().min(1),
  /**
   * Set when this customer was merged into another: the record stays, without
   * domains, so that old references to it resolve to the one it became.
   */
  mergedInto: z.string().min(1).optional(),
  /** Customers a person said this one is not a duplicate of: `/crm duplicates` leaves those pairs out. */
  notDuplicateOf: z.array(z.string().min(1)).optional(),
});

export type Customer = z.infer<typeof customerSchema>;
