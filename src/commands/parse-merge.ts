import type { Command } from './command.ts';
import { usageError } from './grammar.ts';
import { joined, keyword, type Token } from './tokenize.ts';

/** `merge <customer> into <customer>`; a name with "into" in it goes in quotes. */
export function parseMerge(rest: readonly Token[]): Command {
  if (rest.length === 0) throw usageError('merge', 'Say which customer to merge, the word "into", and the customer it becomes part of.');
  const at = rest.findIndex((token) => keyword(token) === 'into');
  if (at < 0) throw usageError('merge', `Put "into" between the customer to merge and the one it becomes part of (quote a name that has "into" in it).`);
  const from = joined(rest.slice(0, at));
  const into = joined(rest.slice(at + 1));
  if (!from) throw usageError('merge', 'Say which customer to merge, before "into".');
  if (!into) throw usageError('merge', `Say which customer to merge ${from} into, after "into".`);
  return { name: 'merge', from, into };
}

/** `duplicates`, or `duplicates dismiss <customer> and <customer>` (two one-word or quoted names need no "and"). */
export function parseDuplicates(rest: readonly Token[]): Command {
  if (rest.length === 0) return { name: 'duplicates' };
  if (keyword(rest[0]) !== 'dismiss') throw usageError('duplicates', 'Type /crm duplicates alone to list them, or /crm duplicates dismiss <customer> and <customer>.');
  const words = rest.slice(1);
  const at = words.findIndex((token) => keyword(token) === 'and');
  const [first, second] = at >= 0 ? [joined(words.slice(0, at)), joined(words.slice(at + 1))] : words.length === 2 ? [words[0]!.text, words[1]!.text] : ['', ''];
  if (!first || !second) throw usageError('duplicates_dismiss', 'Name the two customers that are not one, with "and" between them (quote a name that has "and" in it).');
  return { name: 'duplicates_dismiss', customers: [first, second] };
}
