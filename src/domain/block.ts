import { z } from 'zod';
import { domainName, emailAddress, instant } from './fields.ts';

/** An address or a whole domain whose mail is never logged (`/crm block`). */
export const blockSchema = z.object({
  /** The address itself, or `@` and the domain: `jane@acme.com`, `@newsletter.io`. */
  id: z
    .string()
    .refine(
      (v) => emailAddress.safeParse(v).success || (v.startsWith('@') && domainName.safeParse(v.slice(1)).success),
      'an address such as jane@acme.com, or @ and a domain such as @acme.com',
    ),
  createdAt: instant,
  createdBy: z.string().min(1),
});

export type Block = z.infer<typeof blockSchema>;
