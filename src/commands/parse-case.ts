import { formatInZone } from '../time/zoned.ts';
import type { Command, ParseContext } from './command.ts';
import { timeExamples, usageError } from './grammar.ts';
import { parseWhen } from './parse-when.ts';
import { joined, keyword } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** `case list`, `case close <id> [note…]`, `case <customer…> <text…> [due <when…>]`. */
export function parseCase(rest: readonly Token[], ctx: ParseContext): Command {
  const [first, ...after] = rest;
  switch (keyword(first)) {
    case 'list':
      if (after.length > 0) {
        throw usageError('case_list', 'To see the open cases, type just /crm case list. For a customer called "list", put the name in quotes.');
      }
      return { name: 'case_list' };
    case 'close':
      return parseClose(after);
    default:
      return parseOpen(rest, ctx);
  }
}

function parseClose(words: readonly Token[]): Command {
  const [id, ...note] = words;
  if (!id) throw usageError('case_close', 'Give the id of the case to close, as /crm case list shows it, and a note on how it was resolved if you like.');
  return { name: 'case_close', caseId: id.text, note: joined(note) || null };
}

/**
 * The last unquoted `due` starts the deadline, and every word after it must be
 * part of the time: a misread deadline is refused rather than guessed.
 */
function parseOpen(rest: readonly Token[], ctx: ParseContext): Command {
  const due = rest.findLastIndex((token) => keyword(token) === 'due');
  const words = due < 0 ? rest : rest.slice(0, due);
  if (words.length === 0) throw usageError('case_open', 'Say which customer, and what the complaint or request is.');
  if (words.length === 1) throw usageError('case_open', `Add what the complaint or request is, after "${words[0]!.text}".`);
  const customerMax = customerSpan(words);
  if (!joined(words.slice(customerMax))) throw usageError('case_open', 'Add what the complaint or request is, after the customer.');
  return {
    name: 'case_open',
    words: words.map((token) => token.text),
    customerMax,
    dueAt: due < 0 ? null : deadline(rest.slice(due + 1), ctx),
  };
}

/**
 * How many words the customer may take. A quoted first word is the customer;
 * otherwise the customer ends before the first quoted word, or before the last word.
 */
function customerSpan(words: readonly Token[]): number {
  if (words[0]!.quoted) return 1;
  const quoted = words.findIndex((token) => token.quoted);
  return quoted > 0 ? quoted : words.length - 1;
}

function deadline(timeWords: readonly Token[], ctx: ParseContext): Date {
  if (timeWords.length === 0) throw usageError('case_open', `Say when the case is due, after "due", like: ${timeExamples}.`);
  const when = timeWords.some((token) => token.quoted) ? null : parseWhen(timeWords.map((token) => token.text), ctx);
  if (!when || when.used < timeWords.length) {
    throw usageError('case_open', `I couldn't read "${joined(timeWords)}" as a time. Put only a time after "due", like: ${timeExamples}. If "due" is part of the text, put the text in quotes.`);
  }
  if (when.at.getTime() > ctx.now.getTime()) return when.at;
  const at = formatInZone(when.at, ctx.tz, ctx.now);
  throw usageError('case_open', `That due time is in the past (${at}). Pick a time still to come, such as tomorrow 5pm, or leave out "due" for the deadline of the customer's tier.`);
}
