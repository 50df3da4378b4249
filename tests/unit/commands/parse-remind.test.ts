import { describe, expect, it } from 'vitest';
import { grammar } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);
// ctx.now is Wednesday 2 December 2026, 10:00 in Los Angeles.
const thursdayNineAm = new Date('2026-12-03T17:00:00Z');

describe('remind <customer> <when> <text>', () => {
  it('takes the customer up to the time, and the quoted text after it', () => {
    expect(parse('remind acme corp tomorrow 9am "send quote"')).toEqual({
      name: 'remind', customer: 'acme corp', dueAt: thursdayNineAm, text: 'send quote',
    });
  });

  it('takes unquoted text, and a quoted customer', () => {
    expect(parse('remind acme fri 9am send the revised quote')).toEqual({
      name: 'remind', customer: 'acme', dueAt: new Date('2026-12-04T17:00:00Z'), text: 'send the revised quote',
    });
    expect(parse('remind "Friday Foods" tomorrow 9am call Jane')).toMatchObject({ customer: 'Friday Foods', dueAt: thursdayNineAm });
  });

  it('never reads a time inside the quoted text', () => {
    expect(parse('remind acme tomorrow "9am call with Jane"')).toMatchObject({ dueAt: thursdayNineAm, text: '9am call with Jane' });
  });

  it('reads the time in the rep’s own zone', () => {
    const inParis = parseCommand('remind acme tomorrow 9am call', { ...ctx, tz: 'Europe/Paris' });
    expect(inParis).toMatchObject({ dueAt: new Date('2026-12-03T08:00:00Z') });
  });

  it('accepts amounts and dates', () => {
    expect(parse('remind acme in 2 hours check the contract')).toMatchObject({ dueAt: new Date('2026-12-02T20:00:00Z'), text: 'check the contract' });
    expect(parse('remind acme 2026-12-24 14:00 "holiday card"')).toMatchObject({ dueAt: new Date('2026-12-24T22:00:00Z') });
  });

  it('rejects a time in the past, saying when that was', () => {
    const error = rejection('remind acme 2026-12-01 "send quote"');
    expect(error.message).toContain('That time is in the past (Tue 1 Dec, 09:00)');
    expect(error.usage).toBe(grammar.remind.usage);
    expect(rejection('remind acme today 9am "send quote"').message).toContain('in the past');
    expect(rejection('remind acme yesterday send quote').message).toContain('That time is in the past (Tue 1 Dec, 09:00)');
  });

  it('asks for a time, a text and a customer', () => {
    expect(rejection('remind acme "send quote"').message).toContain("I couldn't find when to remind you");
    expect(rejection('remind acme someday send quote').message).toContain('tomorrow 9am, fri 2pm');
    expect(rejection('remind acme tomorrow 9am').message).toContain('Add what to be reminded of');
    expect(rejection('remind "" tomorrow hi').message).toContain('Say which customer');
    expect(rejection('remind').usage).toBe(grammar.remind.usage);
  });
});

describe('remind list, done and snooze', () => {
  it('lists reminders', () => {
    expect(parse('remind list')).toEqual({ name: 'remind_list' });
    expect(rejection('remind list acme').usage).toBe(grammar.remind_list.usage);
  });

  it('treats a quoted "list" as a customer name', () => {
    expect(parse('remind "list" tomorrow call')).toMatchObject({ name: 'remind', customer: 'list' });
  });

  it('marks a reminder done', () => {
    expect(parse('remind done rem_7k2q9x3m4t')).toEqual({ name: 'remind_done', reminderId: 'rem_7k2q9x3m4t' });
    expect(rejection('remind done').usage).toBe(grammar.remind_done.usage);
  });

  it('snoozes a reminder until a new time', () => {
    expect(parse('remind snooze rem_7k2q9x3m4t tomorrow 9am')).toEqual({
      name: 'remind_snooze', reminderId: 'rem_7k2q9x3m4t', until: thursdayNineAm,
    });
    expect(parse('remind snooze rem_7k2q9x3m4t 2h')).toMatchObject({ until: new Date('2026-12-02T20:00:00Z') });
  });

  it('rejects a snooze without a readable, future time', () => {
    expect(rejection('remind snooze rem_7k2q9x3m4t').usage).toBe(grammar.remind_snooze.usage);
    expect(rejection('remind snooze rem_7k2q9x3m4t whenever').message).toContain('I couldn\'t read "whenever" as a time');
    expect(rejection('remind snooze rem_7k2q9x3m4t tomorrow please').message).toContain('as a time');
    expect(rejection('remind snooze rem_7k2q9x3m4t 2026-11-30').message).toContain('in the past');
  });
});
