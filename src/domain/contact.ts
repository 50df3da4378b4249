import { z } from 'zod';
import { emailAddress, instant } from './fields.ts';

export const contactSchema = z.object({
  id: z.string().min(1),
  email: emailAddress,
  name: z.string().trim().min(1).nullable(),
  customerId: z.string().nullable(),
  /** How the contact came to be known: typed by a rep, or seen in mail. */
  source: z.enum(['manual', 'mail']),
  createdAt: instant,
  createdBy: z.string().min(1),
});

export type Contact = z.infer<typeof contactSchema>;
