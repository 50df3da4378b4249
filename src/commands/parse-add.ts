import { domainName, emailAddress } from '../domain/fields.ts';
import type { Command } from './command.ts';
import { grammar, usageError } from './grammar.ts';
import { joined, keyword } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** `add customer <name…> [domain…]` and `add contact <email> [name] [customer]`. */
export function parseAdd(rest: readonly Token[]): Command {
  const [what, ...words] = rest;
  switch (keyword(what)) {
    case 'customer':
      return parseAddCustomer(words);
    case 'contact':
      return parseAddContact(words);
    default:
      throw usageError(
        'add_customer',
        `Say what to add: "customer" or "contact", e.g. ${grammar.add_customer.example} or ${grammar.add_contact.example}`,
      );
  }
}

function parseAddCustomer(words: readonly Token[]): Command {
  // Domains are the trailing words that read as one; everything before them is the name.
  let split = words.length;
  const domains: string[] = [];
  while (split > 0) {
    const domain = asDomain(words[split - 1]);
    if (domain === null) break;
    domains.unshift(domain);
    split -= 1;
  }
  const customerName = joined(words.slice(0, split));
  if (!customerName) {
    const message = domains.length > 0
      ? `Give the customer a name before its domains, e.g. /crm add customer Acme ${domains.join(' ')}`
      : 'Give the customer a name, and any mail domains of theirs after it.';
    throw usageError('add_customer', message);
  }
  return { name: 'add_customer', customerName, domains: [...new Set(domains)] };
}

/** `acme.com`, `@acme.com`, `https://www.acme.com/about` → `acme.com`; anything else → null. */
function asDomain(token: Token | undefined): string | null {
  if (!token || token.quoted) return null;
  const host = token.text
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '')
    .replace(/\.$/, '');
  return domainName.safeParse(host).success ? host : null;
}

function parseAddContact(words: readonly Token[]): Command {
  const [first, ...rest] = words;
  if (!first) throw usageError('add_contact', "Give the contact's email address first.");
  const email = first.text.trim().toLowerCase();
  if (!emailAddress.safeParse(email).success) {
    throw usageError('add_contact', `"${first.text}" is not an email address. Start with the contact's address, such as jane@acme.com.`);
  }
  return { name: 'add_contact', email, words: rest.map((token) => token.text) };
}
