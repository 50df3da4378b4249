import type { PollKind } from '../../domain/poll.ts';
import { UserInputError } from '../../errors.ts';
import type { PollTarget } from '../../polls/ask-poll.ts';
import type { Reply } from '../../reply.ts';
import { zoneOf, type CommandContext } from '../context.ts';

/** `/crm poll <contact email | customer> [csat | nps]`, and a closed case's "Send a poll" button (`caseId`). */
export async function poll(ctx: CommandContext, target: PollTarget, kind: PollKind, caseId: string | null = null): Promise<Reply> {
  if (!ctx.polls) throw new UserInputError('Polls are sent by the running guanxi service: ask from Slack.');
  return ctx.polls.ask({ actor: ctx.actor, tz: zoneOf(ctx, ctx.actor), target, kind, caseId });
}
