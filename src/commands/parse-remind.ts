import { formatInZone } from '../time/zoned.ts';
import type { Command, CommandName, ParseContext } from './command.ts';
import { grammar, timeExamples, usageError } from './grammar.ts';
import { parseWhen } from './parse-when.ts';
import { joined, keyword } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** `remind list`, `remind done <id>`, `remind snooze <id> <when>`, `remind <customer…> <when> <text…>`. */
export function parseRemind(rest: readonly Token[], ctx: ParseContext): Command {
  const [first, ...after] = rest;
  switch (keyword(first)) {
    case 'list':
      if (after.length > 0) {
        throw usageError('remind_list', 'To see your reminders, type just /crm remind list. For a customer called "list", put the name in quotes.');
      }
      return { name: 'remind_list' };
    case 'done':
      return parseDone(after);
    case 'snooze':
      return parseSnooze(after, ctx);
    default:
      return parseNewReminder(rest, ctx);
  }
}

function parseDone(words: readonly Token[]): Command {
  const [id, ...extra] = words;
  if (!id || extra.length > 0) {
    throw usageError('remind_done', 'Give the id of the reminder that is done, as shown on the reminder, and nothing else.');
  }
  return { name: 'remind_done', reminderId: id.text };
}

function parseSnooze(words: readonly Token[], ctx: ParseContext): Command {
  const [id, ...rest] = words;
  if (!id || rest.length === 0) {
    throw usageError('remind_snooze', `Give the id of the reminder and a new time, like: ${timeExamples}.`);
  }
  const when = parseWhen(unquotedRun(rest, 0), ctx);
  if (!when || when.used < rest.length) {
    throw usageError('remind_snooze', `I couldn't read "${joined(rest)}" as a time. Try one like: ${timeExamples}.`);
  }
  return { name: 'remind_snooze', reminderId: id.text, until: ahead(when.at, ctx, 'remind_snooze') };
}

/**
 * The customer is every word before the first place a time can be read, so a
 * customer needs no quotes ("acme corp tomorrow 9am"); the words after the time are the text.
 */
function parseNewReminder(rest: readonly Token[], ctx: ParseContext): Command {
  if (rest.length === 0) throw usageError('remind', 'Say which customer, when, and what to be reminded of.');
  for (let i = 1; i < rest.length; i++) {
    const when = parseWhen(unquotedRun(rest, i), ctx);
    if (!when) continue;
    const customer = joined(rest.slice(0, i));
    if (!customer) throw usageError('remind', 'Say which customer the reminder is about, before the time.');
    const text = joined(rest.slice(i + when.used));
    if (!text) throw usageError('remind', `Add what to be reminded of, after the time, e.g. ${grammar.remind.example}`);
    return { name: 'remind', customer, dueAt: ahead(when.at, ctx, 'remind'), text };
  }
  throw usageError('remind', `I couldn't find when to remind you. Put a time right after the customer, like: ${timeExamples}.`);
}

/** The words from `start` up to the first quoted one: quoted words are text, never a time. */
function unquotedRun(tokens: readonly Token[], start: number): string[] {
  const end = tokens.findIndex((token, i) => i >= start && token.quoted);
  return tokens.slice(start, end < 0 ? undefined : end).map((token) => token.text);
}

function ahead(at: Date, ctx: ParseContext, name: CommandName): Date {
  if (at.getTime() > ctx.now.getTime()) return at;
  const when = formatInZone(at, ctx.tz, ctx.now);
  throw usageError(name, `That time is in the past (${when}). Pick a time still to come, such as tomorrow 9am.`);
}
