import { emailAddress } from '../domain/fields.ts';
import { pollKinds, type PollKind } from '../domain/poll.ts';
import type { Command } from './command.ts';
import { usageError } from './grammar.ts';
import { joined, keyword, type Token } from './tokenize.ts';

/** `poll <contact email | customer> [csat | nps]`: CSAT unless NPS is asked for, last. */
export function parsePoll(rest: readonly Token[]): Command {
  const last = keyword(rest[rest.length - 1]);
  const kind: PollKind = pollKinds.find((k) => k === last) ?? 'csat';
  const words = pollKinds.some((k) => k === last) ? rest.slice(0, -1) : rest;
  if (words.length === 0) throw usageError('poll', 'Say whom to ask: a contact\'s address, or a customer.');
  const typed = joined(words);
  // An address is one word: what follows it can only be the kind of poll.
  if (words.length > 1 && joined(words.slice(0, 1)).includes('@')) {
    throw usageError('poll', `"${joined(words.slice(1))}" is not a kind of poll. After the address put csat or nps, or nothing for CSAT.`);
  }
  if (words.length === 1 && typed.includes('@')) {
    const email = typed.toLowerCase();
    if (!emailAddress.safeParse(email).success) throw usageError('poll', `"${typed}" is not an email address. Give a contact's whole address, such as jane@acme.com, or a customer's name.`);
    return { name: 'poll', target: { email }, kind };
  }
  return { name: 'poll', target: { customer: typed }, kind };
}
