import { UserInputError } from '../errors.ts';
import { loggableKinds } from '../domain/interaction.ts';
import type { LoggableKind } from '../domain/interaction.ts';
import { closest } from './closest.ts';
import type { Command, ParseContext } from './command.ts';
import { commandsForTopic, commandWords, grammar, helpTopics, usageError } from './grammar.ts';
import { parseAdd } from './parse-add.ts';
import { parseCase } from './parse-case.ts';
import { parseDeal } from './parse-deal.ts';
import { parseDigest } from './parse-digest.ts';
import { parseAddressOnly, parseBirthday, parsePrefer } from './parse-care.ts';
import { parseBlock, parseConnect, parseLink, parseSuggestions, parseUnlink } from './parse-mail.ts';
import { parseDuplicates, parseMerge } from './parse-merge.ts';
import { parsePoll } from './parse-poll.ts';
import { parseRemind } from './parse-remind.ts';
import { parseTeam } from './parse-team.ts';
import { joined, keyword, tokenize } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/**
 * Reads the text after `/crm` into a command. Bad input is always a
 * UserInputError that says what was wrong, with the command's usage and example.
 */
export function parseCommand(text: string, ctx: ParseContext): Command {
  const [first, ...rest] = readTokens(text);
  if (!first) return { name: 'help', topic: null };
  switch (keyword(first)) {
    case 'help':
      return parseHelp(rest);
    case 'find':
      return parseFind(rest);
    case 'add':
      return parseAdd(rest);
    case 'log':
      return parseLog(rest);
    case 'remind':
      return parseRemind(rest, ctx);
    case 'case':
      return parseCase(rest, ctx);
    case 'assign':
      return parseAssign(rest);
    case 'block':
    case 'unblock':
      return parseBlock(rest, keyword(first) as 'block' | 'unblock');
    case 'suggestions':
      return parseSuggestions(rest);
    case 'link':
      return parseLink(rest);
    case 'unlink':
      return parseUnlink(rest);
    case 'connect':
      return parseConnect(rest);
    case 'deal':
      return parseDeal(rest);
    case 'poll':
      return parsePoll(rest);
    case 'mail':
      if (rest.length > 0) throw usageError('mail', '/crm mail takes nothing after it.');
      return { name: 'mail' };
    case 'digest':
      return parseDigest(rest);
    case 'jobs':
      if (rest.length > 0) throw usageError('jobs', '/crm jobs takes nothing after it.');
      return { name: 'jobs' };
    case 'team':
      return parseTeam(rest);
    case 'optout':
    case 'optin':
    case 'forget':
      return parseAddressOnly(rest, keyword(first) as 'optout' | 'optin' | 'forget');
    case 'prefer':
      return parsePrefer(rest, ctx);
    case 'birthday':
      return parseBirthday(rest, ctx);
    case 'duplicates':
      return parseDuplicates(rest);
    case 'merge':
      return parseMerge(rest);
    default:
      throw unknownCommand(first.text);
  }
}

function readTokens(text: string): Token[] {
  try {
    return tokenize(text);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    // Show the form of the command the user was typing.
    const [first = '', second = ''] = text.trim().toLowerCase().split(/\s+/);
    const name = commandsForTopic(`${first} ${second}`)[0] ?? commandsForTopic(first)[0] ?? 'help';
    throw usageError(name, error.message);
  }
}

function parseHelp(rest: Token[]): Command {
  const topic = joined(rest).toLowerCase().replace(/\s+/g, ' ');
  if (!topic) return { name: 'help', topic: null };
  if (commandsForTopic(topic).length > 0) return { name: 'help', topic };
  const guess = closest(topic, helpTopics);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  throw usageError('help', `There is no command called "${topic}".${hint} The commands are: ${commandWords.join(', ')}.`);
}

function parseFind(rest: Token[]): Command {
  const query = joined(rest);
  if (!query) throw usageError('find', 'Say what to look for: part of a name, a domain or an email address.');
  return { name: 'find', query };
}

function parseLog(rest: Token[]): Command {
  if (rest.length === 0) {
    throw usageError('log', 'Say which customer, what it was (call, meeting or note) and what happened.');
  }
  // The customer may itself contain a kind word (`call center co call …`): the first one after it counts.
  const at = rest.findIndex((token, i) => i > 0 && kindOf(token) !== null);
  const kind = kindOf(rest[at]);
  if (!kind) {
    const first = kindOf(rest[0]);
    throw usageError('log', first
      ? `Put the customer first, then "${first}".`
      : 'Say whether it was a call, a meeting or a note, right after the customer.');
  }
  const customer = joined(rest.slice(0, at));
  if (!customer) throw usageError('log', `Say which customer, before "${kind}".`);
  const text = joined(rest.slice(at + 1));
  if (!text) throw usageError('log', `Add what happened, after the word "${kind}".`);
  return { name: 'log', customer, kind, text };
}

function kindOf(token: Token | undefined): LoggableKind | null {
  const word = keyword(token);
  return loggableKinds.find((kind) => kind === word) ?? null;
}

function parseAssign(rest: Token[]): Command {
  const owner = rest[rest.length - 1];
  if (!owner?.userId) {
    throw usageError('assign', `Mention the new owner with @ at the end, e.g. ${grammar.assign.example}`);
  }
  const customer = joined(rest.slice(0, -1));
  if (!customer) throw usageError('assign', 'Say which customer to assign, before the @mention of the new owner.');
  return { name: 'assign', customer, memberId: owner.userId };
}

function unknownCommand(word: string): UserInputError {
  const guess = closest(word.toLowerCase(), commandWords);
  const known = `The commands are: ${commandWords.join(', ')}.`;
  const message = guess
    ? `I don't know the command "${word}". Did you mean "${guess}"? ${known}`
    : `I don't know the command "${word}". ${known} To look something up, type: /crm find ${word}`;
  return usageError('help', message);
}
