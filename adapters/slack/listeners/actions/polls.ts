import { poll } from '../../../../src/commands/handlers/poll.ts';
import { formatInZone } from '../../../../src/time/zoned.ts';
import { slackMessage } from '../../render-blocks.ts';
import type { SlackDeps } from '../../slack-deps.ts';
import type { Click } from './index.ts';

/** The poll buttons: a score clicked in a customer's channel, and "Send a poll" on a closed case. */
export function pollButtons(deps: SlackDeps): Record<'poll_answer' | 'poll_after_case', (click: Click) => Promise<void>> {
  return {
    // Each person's click is their answer (keyed by their Slack id); a later click changes it. Only they see the thanks.
    poll_answer: async ({ ack, body, action, client }) => {
      await ack();
      const [pollId = '', typed = ''] = (action.value ?? '').split(' ');
      const tell = (text: string) => client.chat.postEphemeral({ channel: body.channel!.id, user: body.user.id, text });
      const polls = deps.core.polls!;
      if (await isTeammate(deps, body.user.id)) {
        return void (await tell('This poll asks the customer; answers from our own team are not counted.'));
      }
      const outcome = await polls.score(pollId, body.user.id, Number(typed));
      if (outcome.ok) return void (await tell(`Thank you! Your answer, ${outcome.answer.score}, is recorded. Click another score to change it.`));
      if (outcome.why === 'closed') return void (await tell(`This poll closed on ${formatInZone(outcome.closedAt, deps.core.config.defaultTimeZone, outcome.closedAt)}; your click was not recorded. Thank you all the same.`));
      await tell('This poll is no longer open; your click was not recorded.');
    },

    // Offered by `/crm case close`: a CSAT poll of the case's customer, following the same rules as /crm poll.
    poll_after_case: async ({ ack, body, action, respond }) => {
      await ack();
      const ctx = await deps.contextFor(body.user.id);
      const closed = await ctx.store.cases.get(action.value ?? '');
      const reply = closed
        ? await poll(ctx, { customerId: closed.customerId }, 'csat', closed.id)
        : { text: 'That case no longer exists.', blocks: [{ type: 'text' as const, text: 'That case no longer exists.' }] };
      await respond({ response_type: 'ephemeral', replace_original: false, ...slackMessage(reply) });
    },
  };
}

/** Someone of our own team (a guanxi user, or an address in INTERNAL_DOMAINS), whose click is not the customer's answer. */
async function isTeammate(deps: SlackDeps, userId: string): Promise<boolean> {
  if (await deps.core.store.members.get(userId)) return true;
  const email = (await deps.directory.lookup(userId))?.email?.toLowerCase();
  return !!email && deps.core.config.internalDomains.some((domain) => email.endsWith(`@${domain}`));
}
