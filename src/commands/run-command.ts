import { GuanxiError, UserInputError } from '../errors.ts';
import { textReply, type Reply } from '../reply.ts';
import { zoneOf, type CommandContext } from './context.ts';
import { renderHelp, renderTopic } from './grammar.ts';
import { addContact, addCustomer } from './handlers/add.ts';
import { assign } from './handlers/assign.ts';
import { block, listBlocks, unblock } from './handlers/block.ts';
import { closeCase, listCases, openCase } from './handlers/case.ts';
import { deal, listDeals } from './handlers/deal.ts';
import { listJobs } from './handlers/jobs.ts';
import { setDigestTime, showDigest, switchDigest } from './handlers/digest.ts';
import { optIn, optOut, prefer, setBirthday } from './handlers/care.ts';
import { forget } from './handlers/forget.ts';
import { linkChannel, unlinkChannel, unlinkInteraction } from './handlers/links.ts';
import { acceptSuggestion, dismissSuggestion, listSuggestions } from './handlers/suggestions.ts';
import { dismissDuplicate, listDuplicates } from './handlers/duplicates.ts';
import { find } from './handlers/find.ts';
import { merge } from './handlers/merge.ts';
import { log } from './handlers/log.ts';
import { poll } from './handlers/poll.ts';
import { completeReminder, listReminders, remind, snoozeReminder } from './handlers/remind.ts';
import { listTeam, setManager, setRole } from './handlers/team.ts';
import { parseCommand } from './parse.ts';

/**
 * One `/crm` line, from any front end: parsed in the actor's zone, handled,
 * answered. Every mistake a user can make comes back as a Reply that says how
 * to fix it; anything else is ours, and is thrown to the front end's error handler.
 */
export async function runCommand(ctx: CommandContext, text: string): Promise<Reply> {
  try {
    const command = parseCommand(text, { now: ctx.clock.now(), tz: zoneOf(ctx, ctx.actor) });
    switch (command.name) {
      case 'help':
        return textReply(command.topic ? (renderTopic(command.topic) ?? `There is no command called "${command.topic}".\n\n${renderHelp()}`) : renderHelp());
      case 'find':
        return await find(ctx, command.query);
      case 'add_customer':
        return await addCustomer(ctx, command.customerName, command.domains);
      case 'add_contact':
        return await addContact(ctx, command.email, command.words);
      case 'log':
        return await log(ctx, command.customer, command.kind, command.text);
      case 'remind':
        return await remind(ctx, command.customer, command.dueAt, command.text);
      case 'remind_list':
        return await listReminders(ctx);
      case 'remind_done':
        return await completeReminder(ctx, command.reminderId);
      case 'remind_snooze':
        return await snoozeReminder(ctx, command.reminderId, command.until);
      case 'case_open':
        return await openCase(ctx, command.words, command.customerMax, command.dueAt);
      case 'case_list':
        return await listCases(ctx);
      case 'case_close':
        return await closeCase(ctx, command.caseId, command.note);
      case 'assign':
        return await assign(ctx, command.customer, command.memberId);
      case 'block':
        return await block(ctx, command.target);
      case 'unblock':
        return await unblock(ctx, command.target);
      case 'block_list':
        return await listBlocks(ctx);
      case 'suggestions':
        return await listSuggestions(ctx);
      case 'suggestion_accept':
        return await acceptSuggestion(ctx, command.domain, command.customerName);
      case 'suggestion_dismiss':
        return await dismissSuggestion(ctx, command.domain);
      case 'link_channel':
        return await linkChannel(ctx, command.channelId, command.customer);
      case 'unlink_channel':
        return await unlinkChannel(ctx, command.channelId);
      case 'unlink':
        return await unlinkInteraction(ctx, command.interactionId, command.customer);
      case 'connect':
        return command.address
          ? await mailService(ctx).connectAppOnly(command.provider, ctx.actor, command.address)
          : await mailService(ctx).connect(command.provider, ctx.actor.id);
      case 'mail':
        return await mailService(ctx).status(ctx.actor.id);
      case 'deal':
        return await deal(ctx, command.customer, command.amount, command.stage, command.dealName);
      case 'deal_list':
        return await listDeals(ctx, command.customer);
      case 'jobs':
        return await listJobs(ctx);
      case 'digest':
        return await showDigest(ctx);
      case 'digest_time':
        return await setDigestTime(ctx, command.time);
      case 'digest_switch':
        return await switchDigest(ctx, command.on);
      case 'team':
        return await listTeam(ctx);
      case 'team_role':
        return await setRole(ctx, command.memberId, command.role);
      case 'team_manager':
        return await setManager(ctx, command.memberId, command.managerId);
      case 'optout':
        return await optOut(ctx, command.email);
      case 'optin':
        return await optIn(ctx, command.email);
      case 'prefer':
        return await prefer(ctx, command.email, command.hours);
      case 'birthday':
        return await setBirthday(ctx, command.email, command.birthday);
      case 'forget':
        return await forget(ctx, command.email);
      case 'duplicates':
        return await listDuplicates(ctx);
      case 'duplicates_dismiss':
        return await dismissDuplicate(ctx, command.customers);
      case 'merge':
        return await merge(ctx, command.from, command.into);
      case 'poll':
        return await poll(ctx, command.target, command.kind);
    }
  } catch (error) {
    const reply = errorReply(error);
    if (reply) return reply;
    throw error;
  }
}

function mailService(ctx: CommandContext) {
  if (!ctx.mail) {
    throw new UserInputError('Mailboxes are connected from Slack, once an admin has set mail up (README, "Connect Gmail" and "Connect Outlook").');
  }
  return ctx.mail;
}

/** What a user is told about a failure that is theirs to fix; null for failures that are ours. */
export function errorReply(error: unknown): Reply | null {
  if (!(error instanceof GuanxiError) || !['user_input', 'not_found', 'conflict', 'forbidden'].includes(error.code)) return null;
  const lines = [error.message];
  if (error instanceof UserInputError && error.usage) lines.push(`Usage: ${error.usage}`);
  if (error instanceof UserInputError && error.example) lines.push(`Example: ${error.example}`);
  return textReply(lines.join('\n'));
}
