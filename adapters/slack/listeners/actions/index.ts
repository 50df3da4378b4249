import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { completeReminder, snoozeReminder } from '../../../../src/commands/handlers/remind.ts';
import { acceptSuggestion, dismissSuggestion, listSuggestions } from '../../../../src/commands/handlers/suggestions.ts';
import { parseWhen } from '../../../../src/commands/parse-when.ts';
import { zoneOf, type CommandContext } from '../../../../src/commands/context.ts';
import { customerCard } from '../../../../src/commands/render/card.ts';
import { UserInputError } from '../../../../src/errors.ts';
import { currentCustomerById } from '../../../../src/resolve/follow-redirect.ts';
import { replyOf, type ActionId, type Reply } from '../../../../src/reply.ts';
import { logInteractionModal, setReminderModal } from '../../modals.ts';
import { renderBlocks, slackMessage, viewBlocksMax } from '../../render-blocks.ts';
import type { SlackDeps } from '../../slack-deps.ts';
import { publishHome } from '../events/index.ts';
import { pollButtons } from './polls.ts';

type ButtonClick = BlockAction<ButtonAction>;

export type Click = SlackActionMiddlewareArgs<ButtonClick> & AllMiddlewareArgs;

/**
 * One listener for every button, which reads the button's id: Bolt runs
 * each listener's matchers on every request, every slash command included,
 * so each listener registered is a cost per request. Buttons carry a
 * position suffix (`open_customer:2`): Slack wants action ids unique within
 * a block.
 */
export function register(app: App, deps: SlackDeps): void {
  const clicks = buttonHandlers(deps);
  app.action<ButtonClick>(new RegExp(`^(${Object.keys(clicks).join('|')}):\\d+$`), (click) => clicks[click.action.action_id.replace(/:\d+$/, '') as ActionId](click));
}

/** A handler for every button a Reply can carry. */
function buttonHandlers(deps: SlackDeps): Record<ActionId, (click: Click) => Promise<void>> {
  const opensModal = (modal: typeof logInteractionModal) => async ({ ack, body, action, client, respond }: Click) => {
    await ack();
    const customer = await currentCustomerById(deps.core.store, action.value ?? '');
    if (!customer) return void (await respond({ replace_original: true, ...slackMessage(gone()) }));
    await client.views.open({ trigger_id: body.trigger_id, view: modal(customer.name, { customerId: customer.id, responseUrl: body.response_url }) });
  };
  const cardOf = async (ctx: CommandContext, customerId: string) => {
    const customer = await ctx.store.customers.get(customerId);
    return customer ? customerCard(ctx, customer, zoneOf(ctx, ctx.actor)) : gone();
  };
  return {
    open_customer: async ({ ack, body, action, respond, client }) => {
      await ack();
      const reply = await cardOf(await deps.contextFor(body.user.id), action.value ?? '');
      if (body.container['type'] === 'view') await openCardModal(client, body.trigger_id, reply);
      else await respond({ replace_original: true, ...slackMessage(reply) });
    },

    // From a message that should stay as it is, such as a digest: the card opens beside it.
    view_customer: async ({ ack, body, action, client }) => {
      await ack();
      await openCardModal(client, body.trigger_id, await cardOf(await deps.contextFor(body.user.id), action.value ?? ''));
    },

    log_interaction: opensModal(logInteractionModal),

    set_reminder: opensModal(setReminderModal),

    share_reply: async ({ ack, body, action, respond }) => {
      await ack();
      const ctx = await deps.contextFor(body.user.id);
      const customer = await ctx.store.customers.get(action.value ?? '');
      if (!customer) return void (await respond({ replace_original: true, ...slackMessage(gone()) }));
      const card = withoutButtons(await customerCard(ctx, customer, zoneOf(ctx, ctx.actor)));
      card.blocks.push({ type: 'context', text: `Shared by ${ctx.actor.name}` });
      await respond({ response_type: 'in_channel', replace_original: false, ...slackMessage(card) });
    },

    reminder_done: async ({ ack, body, action, respond, client }) => {
      await ack();
      const ctx = await deps.contextFor(body.user.id);
      await answer(client, deps, body, respond, await completeReminder(ctx, action.value ?? ''));
    },

    reminder_snooze: async ({ ack, body, action, respond, client }) => {
      await ack();
      const ctx = await deps.contextFor(body.user.id);
      const [reminderId = '', ...when] = (action.value ?? '').split(' ');
      await answer(client, deps, body, respond, await snoozeReminder(ctx, reminderId, snoozeUntil(ctx, when)));
    },

    suggestion_accept: async ({ ack, body, action, respond }) => {
      await ack();
      const ctx = await deps.contextFor(body.user.id);
      await respond({ replace_original: true, ...slackMessage(await withSuggestions(ctx, await acceptSuggestion(ctx, action.value ?? '', null))) });
    },

    suggestion_dismiss: async ({ ack, body, action, respond }) => {
      await ack();
      const ctx = await deps.contextFor(body.user.id);
      await respond({ replace_original: true, ...slackMessage(await withSuggestions(ctx, await dismissSuggestion(ctx, action.value ?? ''))) });
    },

    ...pollButtons(deps),
  };
}

async function openCardModal(client: webApi.WebClient, triggerId: string, card: Reply): Promise<void> {
  await client.views.open({
    trigger_id: triggerId,
    view: { type: 'modal', title: { type: 'plain_text', text: 'Customer' }, close: { type: 'plain_text', text: 'Close' }, blocks: renderBlocks(withoutButtons(card), viewBlocksMax) },
  });
}

/** What a decision did, above the suggestions still waiting. */
async function withSuggestions(ctx: CommandContext, result: Reply): Promise<Reply> {
  return replyOf([{ type: 'text', text: result.text }, ...(await listSuggestions(ctx)).blocks]);
}

function snoozeUntil(ctx: CommandContext, words: string[]): Date {
  const parsed = parseWhen(words, { now: ctx.clock.now(), tz: zoneOf(ctx, ctx.actor) });
  if (!parsed) throw new UserInputError(`"${words.join(' ')}" is not a time I can read.`);
  return parsed.at;
}

/** A button in the App Home refreshes the Home; a button in a message replaces that message. */
async function answer(client: webApi.WebClient, deps: SlackDeps, body: ButtonClick, respond: RespondFn, reply: Reply): Promise<void> {
  if (body.container['type'] === 'view') return publishHome(client, deps, body.user.id);
  await respond({ replace_original: true, ...slackMessage(reply) });
}

function withoutButtons(reply: Reply): Reply {
  return { text: reply.text, blocks: reply.blocks.filter((b) => b.type !== 'actions') };
}

function gone(): Reply {
  const text = 'That customer no longer exists. Search again with /crm find.';
  return { text, blocks: [{ type: 'text', text }] };
}
