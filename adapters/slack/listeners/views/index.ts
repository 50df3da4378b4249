import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { zoneOf } from '../../../../src/commands/context.ts';
import { logInteraction } from '../../../../src/commands/handlers/log.ts';
import { createReminder } from '../../../../src/commands/handlers/remind.ts';
import { parseWhen } from '../../../../src/commands/parse-when.ts';
import { customerCard } from '../../../../src/commands/render/card.ts';
import { loggableKinds, type LoggableKind } from '../../../../src/domain/interaction.ts';
import { GuanxiError } from '../../../../src/errors.ts';
import { resolveCustomer } from '../../../../src/resolve/customer-reference.ts';
import { currentCustomerById } from '../../../../src/resolve/follow-redirect.ts';
import { modalIds, readMetadata } from '../../modals.ts';
import { slackMessage } from '../../render-blocks.ts';
import type { SlackDeps } from '../../slack-deps.ts';

type Submission = SlackViewMiddlewareArgs<ViewSubmitAction>;

/** A field's typed value: state.values[block_id][action_id] (PLATFORMS.md A4). */
function field(body: ViewSubmitAction, id: string): string {
  const value = body.view.state.values[id]?.[id];
  return (value?.value ?? value?.selected_option?.value ?? '').trim();
}

/** Modal errors are shown under the field they concern; the modal stays open. */
const invalid = (ack: Submission['ack'], blockId: string, message: string) => ack({ response_action: 'errors', errors: { [blockId]: message } });

/** One listener for every modal, which reads its callback id: Bolt runs each listener's matchers on every request. */
export function register(app: App, deps: SlackDeps): void {
  const submits = submitHandlers(deps);
  app.view<ViewSubmitAction>(new RegExp(`^(${Object.keys(submits).join('|')})$`), (submission) => submits[submission.body.view.callback_id]!(submission));
}

function submitHandlers(deps: SlackDeps): Record<string, (submission: Submission & AllMiddlewareArgs) => Promise<void>> {
  return {
    [modalIds.logInteraction]: async ({ ack, body }) => {
      const { customerId, responseUrl } = readMetadata(body.view);
      const kind = field(body, modalIds.kind);
      if (!loggableKinds.includes(kind as LoggableKind)) return void (await invalid(ack, modalIds.kind, 'Choose call, meeting or note.'));
      const ctx = await deps.contextFor(body.user.id);
      const customer = await currentCustomerById(ctx.store, customerId ?? '');
      if (!customer) return void (await invalid(ack, modalIds.summary, 'That customer no longer exists.'));
      await logInteraction(ctx, { customerId: customer.id, kind: kind as LoggableKind, summary: field(body, modalIds.summary) });
      await ack();
      if (responseUrl) await deps.respondTo(responseUrl, { replace_original: true, ...slackMessage(await customerCard(ctx, customer, zoneOf(ctx, ctx.actor))) });
    },

    [modalIds.setReminder]: async ({ ack, body }) => {
      const { customerId, responseUrl } = readMetadata(body.view);
      const ctx = await deps.contextFor(body.user.id);
      const customer = await currentCustomerById(ctx.store, customerId ?? '');
      if (!customer) return void (await invalid(ack, modalIds.text, 'That customer no longer exists.'));
      const typed = field(body, modalIds.when);
      const words = typed.split(/\s+/).filter(Boolean);
      const now = ctx.clock.now();
      const when = parseWhen(words, { now, tz: zoneOf(ctx, ctx.actor) });
      if (!when || when.used < words.length) {
        return void (await invalid(ack, modalIds.when, `I can't read "${typed}" as a time. Try tomorrow 9am, fri, in 3 days or 2026-12-01 14:00.`));
      }
      if (when.at.getTime() <= now.getTime()) return void (await invalid(ack, modalIds.when, 'That time has passed; choose one ahead.'));
      await createReminder(ctx, customer.id, when.at, field(body, modalIds.text));
      await ack();
      if (responseUrl) await deps.respondTo(responseUrl, { replace_original: true, ...slackMessage(await customerCard(ctx, customer, zoneOf(ctx, ctx.actor))) });
    },

    [modalIds.logMessage]: async ({ ack, body, client }) => {
      const { channelId, messageTs, responseUrl } = readMetadata(body.view);
      const ctx = await deps.contextFor(body.user.id);
      let customer;
      try {
        customer = await resolveCustomer(ctx.store, field(body, modalIds.customer));
      } catch (error) {
        if (error instanceof GuanxiError) return void (await invalid(ack, modalIds.customer, plain(error.message)));
        throw error;
      }
      await ack();
      const { permalink } = await client.chat.getPermalink({ channel: channelId ?? '', message_ts: messageTs ?? '' });
      await logInteraction(ctx, {
        customerId: customer.id,
        kind: 'message',
        summary: field(body, modalIds.summary),
        occurredAt: new Date(Number(messageTs) * 1000),
        permalink: permalink ?? null,
      });
      if (responseUrl) await deps.respondTo(responseUrl, { response_type: 'ephemeral', text: `Logged that message on ${customer.name}'s timeline.` });
    },
  };
}

/** Modal error texts are plain text: no *bold*. */
function plain(text: string): string {
  return text.replace(/\*([^*]+)\*/g, '$1');
}
