import { z } from 'zod';
import { instant } from './fields.ts';

/** A Slack channel (often a Slack Connect one) whose messages are logged to one customer. */
export const channelLinkSchema = z.object({
  /** The Slack channel id. */
  id: z.string().regex(/^[CG][A-Z0-9]+$/),
  customerId: z.string().min(1),
  linkedBy: z.string().min(1),
  linkedAt: instant,
});

export type ChannelLink = z.infer<typeof channelLinkSchema>;
