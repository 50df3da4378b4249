import { describe, expect, it } from 'vitest';
import { grammar } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);

describe('help', () => {
  it('is what an empty command or "help" shows', () => {
    expect(parse('')).toEqual({ name: 'help', topic: null });
    expect(parse('  ')).toEqual({ name: 'help', topic: null });
    expect(parse('Help')).toEqual({ name: 'help', topic: null });
  });

  it('takes a topic of one or two words', () => {
    expect(parse('help remind')).toEqual({ name: 'help', topic: 'remind' });
    expect(parse('help add  Contact')).toEqual({ name: 'help', topic: 'add contact' });
  });

  it('suggests the topic a typo meant', () => {
    const error = rejection('help remnd');
    expect(error.message).toContain('Did you mean "remind"?');
    expect(error.usage).toBe(grammar.help.usage);
  });
});

describe('find', () => {
  it('searches for everything after the word', () => {
    expect(parse('find acme corp')).toEqual({ name: 'find', query: 'acme corp' });
    expect(parse('find <mailto:jane@acme.com|jane@acme.com>')).toEqual({ name: 'find', query: 'jane@acme.com' });
  });

  it('asks what to look for', () => {
    const error = rejection('find');
    expect(error.message).toContain('Say what to look for');
    expect(error.usage).toBe('/crm find <anything>');
  });
});

describe('add customer', () => {
  it('takes the trailing domains and the name before them', () => {
    expect(parse('add customer "Acme Corp" acme.com acme.co.uk')).toEqual({
      name: 'add_customer', customerName: 'Acme Corp', domains: ['acme.com', 'acme.co.uk'],
    });
    expect(parse('add customer Acme Corp acme.com')).toEqual({ name: 'add_customer', customerName: 'Acme Corp', domains: ['acme.com'] });
    expect(parse('add customer Acme Corp')).toEqual({ name: 'add_customer', customerName: 'Acme Corp', domains: [] });
  });

  it('cleans up domains written as addresses, links or in capitals, once each', () => {
    expect(parse('add customer Acme https://www.Acme.com/about @acme.co.uk <http://acme.com|acme.com> ACME.COM')).toEqual({
      name: 'add_customer', customerName: 'Acme', domains: ['acme.com', 'acme.co.uk'],
    });
  });

  it('keeps a quoted name whole even when it looks like a domain', () => {
    expect(parse('add customer "Monday.com" monday.com')).toEqual({ name: 'add_customer', customerName: 'Monday.com', domains: ['monday.com'] });
  });

  it('asks for a name when only domains are given', () => {
    const error = rejection('add customer acme.com');
    expect(error.message).toContain('Give the customer a name');
    expect(error.usage).toBe(grammar.add_customer.usage);
    expect(error.example).toBe(grammar.add_customer.example);
  });
});

describe('add contact', () => {
  it('takes the address, lower-cased, and the words after it', () => {
    expect(parse('add contact Jane@Acme.com "Jane Doe" acme')).toEqual({ name: 'add_contact', email: 'jane@acme.com', words: ['Jane Doe', 'acme'] });
    expect(parse('add contact <mailto:jane@acme.com|jane@acme.com>')).toEqual({ name: 'add_contact', email: 'jane@acme.com', words: [] });
  });

  it('rejects a missing or malformed address', () => {
    expect(rejection('add contact').message).toContain('email address');
    const error = rejection('add contact jane@acme Jane');
    expect(error.message).toContain('"jane@acme" is not an email address');
    expect(error.usage).toBe(grammar.add_contact.usage);
  });

  it('asks whether to add a customer or a contact', () => {
    expect(rejection('add').message).toContain('"customer" or "contact"');
    expect(rejection('add acme').message).toContain('"customer" or "contact"');
  });
});

describe('log', () => {
  it('takes the customer before the kind and the text after it', () => {
    expect(parse('log acme call "Talked pricing, sending a quote Friday"')).toEqual({
      name: 'log', customer: 'acme', kind: 'call', text: 'Talked pricing, sending a quote Friday',
    });
    expect(parse('log Acme Corp Meeting went well, next steps agreed')).toEqual({
      name: 'log', customer: 'Acme Corp', kind: 'meeting', text: 'went well, next steps agreed',
    });
  });

  it('lets a customer name contain a kind word, quoted or first', () => {
    expect(parse('log "Call Center Co" note renewal due')).toMatchObject({ customer: 'Call Center Co', kind: 'note' });
    expect(parse('log call center co call pricing')).toMatchObject({ customer: 'call center co', kind: 'call', text: 'pricing' });
  });

  it('explains what is missing, with the usage', () => {
    expect(rejection('log').usage).toBe(grammar.log.usage);
    expect(rejection('log acme "Talked pricing"').message).toContain('call, a meeting or a note');
    expect(rejection('log call acme hi').message).toContain('Put the customer first');
    expect(rejection('log acme call').message).toContain('Add what happened');
    expect(rejection('log acme call ""').message).toContain('Add what happened');
  });
});

describe('assign', () => {
  it('takes the customer and the mentioned owner', () => {
    expect(parse('assign Acme Corp <@U024BE7LH|jane>')).toEqual({ name: 'assign', customer: 'Acme Corp', memberId: 'U024BE7LH' });
  });

  it('asks for an @mention of the new owner', () => {
    const error = rejection('assign acme jane');
    expect(error.message).toContain('Mention the new owner with @');
    expect(error.usage).toBe(grammar.assign.usage);
    expect(rejection('assign acme <#C1|sales>').message).toContain('Mention the new owner with @');
    expect(rejection('assign').message).toContain('Mention the new owner with @');
  });

  it('asks which customer', () => {
    expect(rejection('assign <@U1|jane>').message).toContain('Say which customer');
  });
});

describe('unknown commands', () => {
  it('suggests the command a typo meant', () => {
    expect(rejection('fnd acme').message).toContain('Did you mean "find"?');
    expect(rejection('lgo acme call hi').message).toContain('Did you mean "log"?');
    expect(rejection('remidn acme fri hi').message).toContain('Did you mean "remind"?');
  });

  it('lists the commands, and offers a search for what looks like a name', () => {
    const error = rejection('acme');
    expect(error.message).toContain('The commands are: find, add, log, remind, case, assign, connect, mail, poll, link, unlink, suggestions, block, unblock, optout, optin, prefer, birthday, team, forget, deal, digest, jobs, duplicates, merge, help.');
    expect(error.message).toContain('/crm find acme');
    expect(error.usage).toBe(grammar.help.usage);
  });

  it('treats a quoted first word as unknown rather than as a command', () => {
    expect(rejection('"find" acme').message).toContain('I don\'t know the command "find"');
  });
});

describe('bad input of any shape', () => {
  it('is always a UserInputError with the usage of the command being typed', () => {
    expect(rejection('log acme call "Talked pricing').usage).toBe(grammar.log.usage);
    expect(rejection('add contact “jane@acme.com').usage).toBe(grammar.add_contact.usage);
    for (const text of ['"', '<', '&', '<>', 'remind', 'remind "', 'help <@U1>', 'log " " call', 'add customer ""']) {
      expect(rejection(text).code).toBe('user_input');
    }
  });
});
