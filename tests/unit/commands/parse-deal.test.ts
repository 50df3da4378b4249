import { describe, expect, it } from 'vitest';
import { grammar } from '../../../src/commands/grammar.ts';
import { parseAmount } from '../../../src/commands/parse-deal.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);

describe('deal <customer> <amount> [stage] [name]', () => {
  it('takes the customer up to the amount, then the stage and the name', () => {
    expect(parse('deal acme corp 12k proposal "Renewal 2027"')).toEqual({
      name: 'deal', customer: 'acme corp', amount: 12_000, stage: 'proposal', dealName: 'Renewal 2027',
    });
    expect(parse('deal acme 12,500.5')).toEqual({ name: 'deal', customer: 'acme', amount: 12_500.5, stage: null, dealName: null });
    expect(parse('deal acme 900 Support plan')).toMatchObject({ stage: null, dealName: 'Support plan' });
  });

  it('reads a number in a quoted customer as part of its name', () => {
    expect(parse('deal "Acme 2000" 5000 won')).toMatchObject({ customer: 'Acme 2000', amount: 5000, stage: 'won' });
  });

  it('lists the open deals, or one customer’s', () => {
    expect(parse('deal list')).toEqual({ name: 'deal_list', customer: null });
    expect(parse('deal list acme corp')).toEqual({ name: 'deal_list', customer: 'acme corp' });
  });

  it('refuses a deal without an amount, or with the amount first, with the right form', () => {
    const missing = rejection('deal acme proposal');
    expect(missing.message).toContain('Add the amount after the customer');
    expect(missing.usage).toBe(grammar.deal.usage);
    expect(rejection('deal 5000 acme').message).toBe('Put the customer first, then the amount.');
    expect(rejection('deal').message).toContain('Say which customer');
    expect(rejection('deal acme 5000000m').message).toBe('5000000m is more than a deal can be worth here (up to 1,000,000,000,000). Check the amount and its k or m.');
  });

  it('takes a word close to a stage for a typo, not for the name of a new deal', () => {
    expect(rejection('deal acme 5k wonn').message).toBe('"wonn" is not a stage: did you mean won? The stages are lead, qualified, proposal, won, lost; a deal name that starts with a word like one goes in quotes.');
    expect(rejection('deal acme 5k Propsal renewal').message).toContain('did you mean proposal?');
    expect(parse('deal acme 5k "Lean pilot"')).toMatchObject({ stage: null, dealName: 'Lean pilot' });
    expect(parse('deal acme 5k Support plan')).toMatchObject({ stage: null, dealName: 'Support plan' });
  });
});

describe('amounts', () => {
  it('reads amounts as people write them, to the cent', () => {
    expect(parseAmount('12000')).toBe(12_000);
    expect(parseAmount('12,000')).toBe(12_000);
    expect(parseAmount('$1,234,567.891')).toBe(1_234_567.89);
    expect(parseAmount('1.5m')).toBe(1_500_000);
    expect(parseAmount('12K')).toBe(12_000);
    expect(parseAmount('99€')).toBe(99);
    expect(parseAmount('0')).toBe(0);
  });

  it('reads nothing else as an amount', () => {
    for (const text of ['-5', '12,00', '1.2.3', 'k', '5x', 'acme', '1,2345', '']) expect(parseAmount(text), text).toBeNull();
  });
});
