import { dealStages, maxDealAmount, type DealStage } from '../domain/deal.ts';
import { closest } from './closest.ts';
import type { Command } from './command.ts';
import { grammar, usageError } from './grammar.ts';
import { joined, keyword } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** `deal list [customer]`, or `deal <customer…> <amount> [stage] [name…]`. */
export function parseDeal(rest: readonly Token[]): Command {
  if (keyword(rest[0]) === 'list') return { name: 'deal_list', customer: joined(rest.slice(1)) || null };
  if (rest.length === 0) throw usageError('deal', 'Say which customer, the amount, and if you like the stage and a name for the deal.');
  // The customer is every word before the first amount, so a name needs no quotes; a customer whose name
  // holds a number ("Acme 2000") is quoted.
  const at = rest.findIndex((token, i) => i > 0 && !token.quoted && parseAmount(token.text) !== null);
  if (at < 0) {
    const lone = parseAmount(rest[0]!.text);
    throw usageError('deal', lone !== null
      ? 'Put the customer first, then the amount.'
      : `Add the amount after the customer, as a number such as 12000, 12,500.50 or 12k, e.g. ${grammar.deal.example}`);
  }
  const customer = joined(rest.slice(0, at));
  const amount = parseAmount(rest[at]!.text)!;
  if (amount > maxDealAmount) throw usageError('deal', `${rest[at]!.text} is more than a deal can be worth here (up to 1,000,000,000,000). Check the amount and its k or m.`);
  const stage = stageOf(rest[at + 1]);
  const meant = stage ? null : misspeltStage(rest[at + 1]);
  if (meant) {
    throw usageError('deal', `"${rest[at + 1]!.text}" is not a stage: did you mean ${meant}? The stages are ${dealStages.join(', ')}; a deal name that starts with a word like one goes in quotes.`);
  }
  const name = joined(rest.slice(at + (stage ? 2 : 1))) || null;
  return { name: 'deal', customer, amount, stage, dealName: name };
}

/**
 * An amount as people write one: 12000, 12,000, 12000.50, 12k, 1.5m, with or
 * without a currency sign; rounded to the cent. Null for anything else.
 */
export function parseAmount(text: string): number | null {
  const match = /^[$€£¥]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([km])?[$€£¥]?$/i.exec(text.trim());
  if (!match) return null;
  const [, whole = '', fraction = '', scale = ''] = match;
  const factor = scale.toLowerCase() === 'k' ? 1_000 : scale.toLowerCase() === 'm' ? 1_000_000 : 1;
  const value = Number(`${whole.replaceAll(',', '')}${fraction}`) * factor;
  return Math.round(value * 100) / 100;
}

/** The stage a word after the amount was most likely meant to be (`wonn`, `propsal`), so that a typo does not become a deal's name. */
function misspeltStage(token: Token | undefined): DealStage | null {
  if (!token || token.quoted) return null;
  return closest(keyword(token), dealStages);
}

function stageOf(token: Token | undefined): DealStage | null {
  if (!token || token.quoted) return null;
  const word = keyword(token);
  return dealStages.find((stage) => stage === word) ?? null;
}
