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

/** `duplicates`. */
export function parseDuplicates(rest: readonly Token[]): Command {
  if (rest.length > 0) throw usageError('duplicates', '/crm duplicates takes nothing after it.');
  return { name: 'duplicates' };
}
