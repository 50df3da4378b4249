import { z } from 'zod';
import { ConflictError } from '../errors.ts';
import { domainName, emailAddress, instant } from './fields.ts';

/**
 * A work domain seen in mail that belongs to no customer: a rep accepts it as
 * a new customer or dismisses it, and it never becomes a customer on its own.
 */
export const suggestionSchema = z.object({
  id: z.string().min(1),
  domain: domainName,
  status: z.enum(['pending', 'accepted', 'dismissed']),
  firstSeenAt: instant,
  lastSeenAt: instant,
  /** Messages seen with people at this domain. */
  messageCount: z.number().int().nonnegative(),
  /** Up to five addresses seen there, with the display names mail gave them. */
  people: z.array(z.object({ email: emailAddress, name: z.string().nullable() })).max(5),
  /** The reps whose mail it came through. */
  seenBy: z.array(z.string()),
  decidedAt: instant.nullable(),
  decidedBy: z.string().nullable(),
});

export type Suggestion = z.infer<typeof suggestionSchema>;

/** What a change to the suggestion of `domain` may write: the same domain, and the id of the suggestion already there. */
export function assertSameSuggestion(domain: string, known: Suggestion | null, next: Suggestion): void {
  if (next.domain !== domain) throw new Error(`A change to the suggestion of ${domain} moved it to ${next.domain}.`);
  if (known && next.id !== known.id) throw new ConflictError(`The domain ${domain} is already suggested (${known.id}).`);
}
