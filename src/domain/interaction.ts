import { z } from 'zod';
import { instant } from './fields.ts';

export const interactionKinds = ['call', 'meeting', 'note', 'message', 'owner_change'] as const;
/** The kinds a rep can log by hand with `/crm log`. */
export const loggableKinds = ['call', 'meeting', 'note'] as const;

export const interactionSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  kind: z.enum(interactionKinds),
  summary: z.string(),
  occurredAt: instant,
  loggedAt: instant,
  /** The team member who logged it; the timeline shows who said what. */
  loggedBy: z.string().min(1),
  /** Why the interaction is on this customer's timeline. */
  linkReason: z.enum(['manual']),
  /** A link back to the source, such as a Slack message permalink. */
  permalink: z.url().nullable(),
});

export type Interaction = z.infer<typeof interactionSchema>;
export type InteractionKind = Interaction['kind'];
export type LoggableKind = (typeof loggableKinds)[number];
