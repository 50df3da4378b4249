import type { StoredMessage } from './mailbox.ts';

/**
 * The part of Gmail's search language (`q` of messages.list) the adapter needs:
 * dates, labels, addresses, Message-ID. Anything else is refused with a 400
 * naming the term, so a test never passes because a filter was ignored.
 *
 * Dates written `YYYY/MM/DD` are taken as UTC midnight (Gmail uses the
 * account's time zone); epoch seconds are exact, which is why the adapter
 * should send those.
 */
export type ParsedQuery = { ok: true; matches: (message: StoredMessage) => boolean } | { ok: false; error: string };

type Predicate = (message: StoredMessage) => boolean;

export function parseSearchQuery(q: string, now: Date): ParsedQuery {
  const predicates: Predicate[] = [];
  for (const raw of q.trim().split(/\s+/).filter(Boolean)) {
    const negated = raw.startsWith('-');
    const term = negated ? raw.slice(1) : raw;
    const predicate = parseTerm(term, now);
    if (!predicate) return { ok: false, error: `The Gmail fake does not understand the search term '${raw}' (q=${JSON.stringify(q)}).` };
    predicates.push(negated ? (message) => !predicate(message) : predicate);
  }
  return { ok: true, matches: (message) => predicates.every((matches) => matches(message)) };
}

function parseTerm(term: string, now: Date): Predicate | undefined {
  const colon = term.indexOf(':');
  if (colon <= 0) return undefined;
  const operator = term.slice(0, colon).toLowerCase();
  const value = term.slice(colon + 1);
  switch (operator) {
    case 'after':
      return atOrAfter(parseDate(value));
    case 'before':
      return before(parseDate(value));
    case 'newer_than':
      return atOrAfter(ago(value, now));
    case 'older_than':
      return before(ago(value, now));
    case 'in':
      if (value.toLowerCase() === 'anywhere') return () => true;
      return hasLabel(value);
    case 'label':
      return hasLabel(value);
    case 'from':
    case 'to':
    case 'cc':
      return headerContains(operator, value);
    case 'rfc822msgid':
      return (message) => stripBrackets(header(message, 'message-id')) === stripBrackets(value);
    default:
      return undefined;
  }
}

function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}

/** `newer_than:2d` / `3m` / `1y` counted back from the fake's now. */
function ago(value: string, now: Date): number | undefined {
  const match = /^(\d+)([dmy])$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const then = new Date(now.getTime());
  const unit = match[2]!.toLowerCase();
  if (unit === 'd') then.setUTCDate(then.getUTCDate() - amount);
  if (unit === 'm') then.setUTCMonth(then.getUTCMonth() - amount);
  if (unit === 'y') then.setUTCFullYear(then.getUTCFullYear() - amount);
  return then.getTime();
}

function atOrAfter(ms: number | undefined): Predicate | undefined {
  return ms === undefined ? undefined : (message) => message.internalDate >= ms;
}

function before(ms: number | undefined): Predicate | undefined {
  return ms === undefined ? undefined : (message) => message.internalDate < ms;
}

function hasLabel(name: string): Predicate {
  const label = name.toUpperCase();
  return (message) => message.labelIds.includes(label);
}

function headerContains(name: string, needle: string): Predicate {
  const lowered = needle.toLowerCase();
  return (message) => header(message, name).toLowerCase().includes(lowered);
}

function header(message: StoredMessage, name: string): string {
  return message.headers
    .filter((h) => h.name.toLowerCase() === name)
    .map((h) => h.value)
    .join(', ');
}

function stripBrackets(value: string): string {
  return value.trim().replace(/^<|>$/g, '');
}
