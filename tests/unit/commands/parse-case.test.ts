import { describe, expect, it } from 'vitest';
import { grammar, timeExamples } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);
// ctx.now is Wednesday 2 December 2026, 10:00 in Los Angeles.

describe('case <customer> <text> [due <when>]', () => {
  it('leaves the deadline to the customer’s tier when no due time is given', () => {
    expect(parse('case acme "invoice charged twice"')).toEqual({ name: 'case_open', words: ['acme', 'invoice charged twice'], customerMax: 1, dueAt: null });
  });

  it('lets the customer take every word before quoted text, or before the last word, and the handler decide', () => {
    expect(parse('case acme corp "invoice charged twice"')).toMatchObject({ words: ['acme', 'corp', 'invoice charged twice'], customerMax: 2 });
    expect(parse('case acme corp invoice wrong')).toMatchObject({ words: ['acme', 'corp', 'invoice', 'wrong'], customerMax: 3 });
    expect(parse('case "Acme Corp" invoice wrong')).toMatchObject({ words: ['Acme Corp', 'invoice', 'wrong'], customerMax: 1 });
  });

  it('reads the time after the last "due" in the rep’s own zone', () => {
    expect(parse('case acme "invoice due date wrong" due fri 5pm')).toMatchObject({ words: ['acme', 'invoice due date wrong'], dueAt: new Date('2026-12-05T01:00:00Z') });
    expect(parseCommand('case acme late delivery due tomorrow 9am', { ...ctx, tz: 'Europe/Paris' })).toMatchObject({
      words: ['acme', 'late', 'delivery'], dueAt: new Date('2026-12-03T08:00:00Z'),
    });
  });

  it('refuses a due time it cannot read whole, or one in the past, saying how to write one', () => {
    const unreadable = rejection('case acme invoice due date wrong');
    expect(unreadable.message).toBe(`I couldn't read "date wrong" as a time. Put only a time after "due", like: ${timeExamples}. If "due" is part of the text, put the text in quotes.`);
    expect(unreadable.usage).toBe(grammar.case_open.usage);
    expect(rejection('case acme "late" due tomorrow 9am please').message).toContain('I couldn\'t read "tomorrow 9am please" as a time.');
    expect(rejection('case acme "late" due').message).toBe(`Say when the case is due, after "due", like: ${timeExamples}.`);
    expect(rejection('case acme "late" due 2026-12-01 9am').message).toContain('That due time is in the past (Tue 1 Dec, 09:00).');
    expect(rejection('case acme "late" due today 9am').message).toContain('in the past');
  });

  it('asks for a customer and a text', () => {
    expect(rejection('case').message).toBe('Say which customer, and what the complaint or request is.');
    expect(rejection('case acme').message).toBe('Add what the complaint or request is, after "acme".');
    expect(rejection('case acme "" due fri').message).toBe('Add what the complaint or request is, after the customer.');
  });
});

describe('case list and case close', () => {
  it('reads list alone, and close with an id and an optional note', () => {
    expect(parse('case list')).toEqual({ name: 'case_list' });
    expect(parse('case close case_7k2q9x3m4t')).toEqual({ name: 'case_close', caseId: 'case_7k2q9x3m4t', note: null });
    expect(parse('case close case_7k2q9x3m4t refunded the "second" charge')).toEqual({ name: 'case_close', caseId: 'case_7k2q9x3m4t', note: 'refunded the second charge' });
  });

  it('opens a case for a customer called "list" or "close" when the name is quoted', () => {
    expect(parse('case "list" wrong invoice')).toMatchObject({ name: 'case_open', words: ['list', 'wrong', 'invoice'] });
    expect(rejection('case list acme').usage).toBe(grammar.case_list.usage);
  });

  it('asks for the id of the case to close', () => {
    expect(rejection('case close').message).toBe('Give the id of the case to close, as /crm case list shows it, and a note on how it was resolved if you like.');
    expect(rejection('case close').usage).toBe(grammar.case_close.usage);
  });
});
