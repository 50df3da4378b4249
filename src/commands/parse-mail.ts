import { domainName, emailAddress } from '../domain/fields.ts';
import type { Command } from './command.ts';
import { usageError } from './grammar.ts';
import { joined, keyword, type Token } from './tokenize.ts';

/** `block list`, `block <address | @domain>`, `unblock <address | @domain>`. */
export function parseBlock(rest: readonly Token[], verb: 'block' | 'unblock'): Command {
  if (verb === 'block' && rest.length === 1 && keyword(rest[0]) === 'list') return { name: 'block_list' };
  const typed = joined(rest).toLowerCase();
  const target = typed.startsWith('@') || typed.includes('@') ? typed : `@${typed}`;
  const valid = target.startsWith('@') ? domainName.safeParse(target.slice(1)).success : emailAddress.safeParse(target).success;
  if (rest.length !== 1 || !valid) {
    throw usageError(verb, `Give one address (jane@example.com) or one domain with an @ in front (@example.com)${typed ? `; "${typed}" is neither` : ''}.`);
  }
  return { name: verb, target };
}

/** `suggestions`, `suggestions accept <domain> [name]`, `suggestions dismiss <domain>`. */
export function parseSuggestions(rest: readonly Token[]): Command {
  const [verb, domainWord, ...nameWords] = rest;
  if (!verb) return { name: 'suggestions' };
  const action = keyword(verb);
  if (action !== 'accept' && action !== 'dismiss') throw usageError('suggestions', `Say "accept" or "dismiss" and the domain, e.g. /crm suggestions accept globex.com.`);
  const name = action === 'accept' ? 'suggestion_accept' : 'suggestion_dismiss';
  const domain = (domainWord?.text ?? '').toLowerCase().replace(/^@/, '');
  if (!domainName.safeParse(domain).success) throw usageError(name, `Say which domain to ${action}, such as globex.com.`);
  if (action === 'dismiss') {
    if (nameWords.length > 0) throw usageError(name, 'Give only the domain to dismiss.');
    return { name: 'suggestion_dismiss', domain };
  }
  return { name: 'suggestion_accept', domain, customerName: joined(nameWords) || null };
}

/** `link <#channel> <customer>`. */
export function parseLink(rest: readonly Token[]): Command {
  const [channel, ...customer] = rest;
  if (!channel?.channelId) throw usageError('link_channel', 'Start with the channel, picked with # so Slack knows which one it is.');
  if (customer.length === 0) throw usageError('link_channel', 'Say which customer the channel belongs to, after the channel.');
  return { name: 'link_channel', channelId: channel.channelId, customer: joined(customer) };
}

/** `unlink <#channel>` or `unlink <interaction> <customer>`. */
export function parseUnlink(rest: readonly Token[]): Command {
  const [first, ...others] = rest;
  if (first?.channelId) {
    if (others.length > 0) throw usageError('unlink_channel', 'Give only the channel to stop logging.');
    return { name: 'unlink_channel', channelId: first.channelId };
  }
  if (!first || others.length === 0) throw usageError('unlink', 'Say which interaction (its id is on the card) and which customer to take it off.');
  return { name: 'unlink', interactionId: first.text, customer: joined(others) };
}

/** `connect gmail`, `connect outlook`, or an admin's `connect outlook <address>`. */
export function parseConnect(rest: readonly Token[]): Command {
  const provider = keyword(rest[0]);
  if (rest.length === 1 && (provider === 'gmail' || provider === 'outlook')) return { name: 'connect', provider, address: null };
  const address = (rest[1]?.text ?? '').toLowerCase();
  if (rest.length === 2 && provider === 'outlook' && emailAddress.safeParse(address).success) return { name: 'connect', provider, address };
  throw usageError('connect', 'Say which mailbox to connect: gmail or outlook (an admin may add an Outlook address to connect it for its owner).');
}
