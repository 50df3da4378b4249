import { UserInputError } from '../errors.ts';

/** One word of a command. `quoted` words are never read as keywords, times or domains. */
export interface Token {
  text: string;
  quoted: boolean;
  /** Set when the word is a Slack user mention such as `<@U123|jane>`. */
  userId?: string;
  /** Set when the word is a Slack channel mention such as `<#C123|general>`. */
  channelId?: string;
}

// Slack's markup (`<…>`), its escapes, a quote of any kind, a run of spaces, or plain text.
// https://api.slack.com/reference/surfaces/formatting#escaping
const pieces = /<([^<>]*)>|&(amp|lt|gt);|(["“”])|(\s+)|([^<>&"“”\s]+|.)/gsu;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

const decode = (text: string) => text.replace(/&(amp|lt|gt);/g, (_, name: string) => entities[name] ?? '');

/**
 * Splits the text after `/crm` into words. Double quotes, straight or curly,
 * group words into one; Slack's mentions, links and escapes are unwrapped.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let current: Token | null = null;
  let inQuotes = false;
  for (const match of text.matchAll(pieces)) {
    const [piece, markup, entity, quote, space] = match;
    if (space !== undefined && !inQuotes) {
      if (current) tokens.push(current);
      current = null;
      continue;
    }
    current ??= { text: '', quoted: false };
    if (quote !== undefined) {
      inQuotes = !inQuotes;
      current.quoted = true;
    } else if (markup !== undefined) {
      unwrap(markup, current);
    } else if (entity !== undefined) {
      current.text += entities[entity] ?? '';
    } else {
      current.text += piece;
    }
  }
  if (inQuotes) {
    throw new UserInputError('A quote was opened but never closed. Put a closing " after the text you meant to group.');
  }
  if (current) tokens.push(current);
  return tokens;
}

/** `<@U1|jane>`, `<#C1|general>`, `<!here>`, `<mailto:a@b.c|a@b.c>`, `<https://x.y|x.y>`. */
function unwrap(markup: string, token: Token): void {
  const bar = markup.indexOf('|');
  const target = decode(bar < 0 ? markup : markup.slice(0, bar));
  const label = bar < 0 ? null : decode(markup.slice(bar + 1));
  const sigil = target.charAt(0);
  if (sigil === '@') {
    token.userId = target.slice(1);
    token.text += `@${label ?? target.slice(1)}`;
  } else if (sigil === '#') {
    token.channelId = target.slice(1);
    token.text += `#${label ?? target.slice(1)}`;
  } else if (sigil === '!') {
    // Special mentions: <!here>, <!subteam^S1|@sales>, <!date^…|fallback>.
    token.text += label ?? `@${target.slice(1)}`;
  } else if (target.toLowerCase().startsWith('mailto:')) {
    token.text += target.slice('mailto:'.length);
  } else {
    token.text += label ?? target;
  }
}

/** A word as a keyword, lower-cased; a quoted word is never one, which is how a user says "I mean the name". */
export function keyword(token: Token | undefined): string {
  return token && !token.quoted ? token.text.toLowerCase() : '';
}

/** Words back into text, one space apart. */
export function joined(tokens: readonly Token[]): string {
  return tokens.map((token) => token.text).join(' ').trim();
}
