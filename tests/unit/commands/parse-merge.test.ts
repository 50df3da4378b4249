import { describe, expect, it } from 'vitest';
import { grammar } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

describe('merge', () => {
  it('reads the customer to merge and the one to keep, either side of "into"', () => {
    expect(parseCommand('merge "Acme Inc" into "Acme Corp"', ctx)).toEqual({ name: 'merge', from: 'Acme Inc', into: 'Acme Corp' });
    expect(parseCommand('merge acme.io INTO Acme Corp', ctx)).toEqual({ name: 'merge', from: 'acme.io', into: 'Acme Corp' });
  });

  it('keeps a quoted "into" as part of a name', () => {
    expect(parseCommand('merge "Into Orbit" into "Orbit Ltd"', ctx)).toEqual({ name: 'merge', from: 'Into Orbit', into: 'Orbit Ltd' });
  });

  it('says what is missing, with the usage', () => {
    expect(rejection('merge').message).toContain('the word "into"');
    expect(rejection('merge acme corp').message).toContain('Put "into" between');
    expect(rejection('merge into acme').message).toContain('before "into"');
    expect(rejection('merge acme into').message).toContain('Say which customer to merge acme into');
    expect(rejection('merge acme into').usage).toBe(grammar.merge.usage);
  });
});

describe('duplicates', () => {
  it('lists with nothing after it', () => {
    expect(parseCommand('duplicates', ctx)).toEqual({ name: 'duplicates' });
    expect(rejection('duplicates acme').usage).toBe(grammar.duplicates.usage);
  });

  it('dismisses two customers, split at "and" or given as two words', () => {
    expect(parseCommand('duplicates dismiss Acme Inc and Acme Logistics', ctx)).toEqual({ name: 'duplicates_dismiss', customers: ['Acme Inc', 'Acme Logistics'] });
    expect(parseCommand('duplicates dismiss "Acme Inc" acme.co.uk', ctx)).toEqual({ name: 'duplicates_dismiss', customers: ['Acme Inc', 'acme.co.uk'] });
    expect(parseCommand('duplicates dismiss "Smith and Sons" and Smithson', ctx)).toEqual({ name: 'duplicates_dismiss', customers: ['Smith and Sons', 'Smithson'] });
    expect(rejection('duplicates dismiss Acme Inc Acme Logistics').message).toContain('with "and" between them');
    expect(rejection('duplicates dismiss acme and').usage).toBe(grammar.duplicates_dismiss.usage);
  });
});
