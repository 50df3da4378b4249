import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);

describe('poll', () => {
  it('asks a contact by address, CSAT unless NPS is said last', () => {
    expect(parse('poll jane@acme.com')).toEqual({ name: 'poll', target: { email: 'jane@acme.com' }, kind: 'csat' });
    expect(parse('poll <mailto:Jane@Acme.com|Jane@Acme.com> NPS')).toEqual({ name: 'poll', target: { email: 'jane@acme.com' }, kind: 'nps' });
    expect(parse('poll jane@acme.com csat')).toEqual({ name: 'poll', target: { email: 'jane@acme.com' }, kind: 'csat' });
  });

  it('asks a customer named in any words; a quoted "nps" is part of the name', () => {
    expect(parse('poll acme corp nps')).toEqual({ name: 'poll', target: { customer: 'acme corp' }, kind: 'nps' });
    expect(parse('poll "Acme NPS"')).toEqual({ name: 'poll', target: { customer: 'Acme NPS' }, kind: 'csat' });
  });

  it('says whom to ask when nobody is named, and what a broken address should look like', () => {
    expect(rejection('poll').message).toBe("Say whom to ask: a contact's address, or a customer.");
    expect(rejection('poll nps').usage).toBe('/crm poll <contact email | customer> [csat | nps]');
    expect(rejection('poll jane@acme').message).toContain('"jane@acme" is not an email address. Give a contact\'s whole address, such as jane@acme.com');
    expect(rejection('poll jane@acme.com survey').message).toBe('"survey" is not a kind of poll. After the address put csat or nps, or nothing for CSAT.');
  });
});
