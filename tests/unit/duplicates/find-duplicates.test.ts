import { describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import { domainStem } from '../../../src/duplicates/domain-stem.ts';
import { editDistance } from '../../../src/resolve/edit-distance.ts';
import { findDuplicates } from '../../../src/duplicates/find-duplicates.ts';
import { nameKey } from '../../../src/duplicates/name-key.ts';

function customer(id: string, name: string, domains: string[] = []): Customer {
  return { id, name, domains, ownerId: null, createdAt: '2026-01-01T00:00:00Z', createdBy: 'U1' };
}

describe('names as duplicate detection compares them', () => {
  it('sets aside case, accents, punctuation and a trailing legal form', () => {
    expect(nameKey('ACME, Inc.')).toBe('acme');
    expect(nameKey('Acme S.A.')).toBe('acme');
    expect(nameKey('Acmé GmbH & Co. KG')).toBe('acme');
    expect(nameKey('The Acme Corporation')).toBe('acme');
    expect(nameKey('Acme Holdings Ltd')).toBe('acme holdings');
    expect(nameKey('Inc')).toBe('inc');
  });

  it('reads a domain name without its suffix', () => {
    expect(domainStem('acme.com')).toBe('acme');
    expect(domainStem('acme.co.uk')).toBe('acme');
    expect(domainStem('eu.acme.de')).toBe('acme');
    expect(domainStem('io.com')).toBeNull();
  });

  it('counts edits, a swap of neighbours as one, and stops past the limit', () => {
    expect(editDistance('acme', 'acme', 1)).toBe(0);
    expect(editDistance('acme', 'amce', 1)).toBe(1);
    expect(editDistance('globex', 'globexx', 1)).toBe(1);
    expect(editDistance('initech', 'intiech', 2)).toBe(1);
    expect(editDistance('acme', 'zzzz', 1)).toBe(2);
  });
});

describe('suspected duplicates', () => {
  it('finds each kind of clue and says which', async () => {
    const inc = customer('c1', 'Acme Inc', ['acme.com']);
    const uk = customer('c2', 'Acme UK', ['acme.co.uk']);
    const corp = customer('c3', 'ACME Corp.', ['acmecorp.com']);
    const globex = customer('c4', 'Globex Industries');
    const typo = customer('c5', 'Globx Industries');
    const { count, first: pairs } = await findDuplicates(
      {
        customers: [inc, uk, corp, globex, typo],
        contacts: [{ email: 'jane@acme.com', customerId: 'c3' }],
      },
      10,
    );

    const reasons = (a: Customer, b: Customer) => pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))?.reasons;
    expect(reasons(inc, corp)).toEqual([
      "jane@acme.com, a contact of ACME Corp., is at Acme Inc's domain",
      'the same name once case, punctuation and legal forms are set aside ("acme")',
    ]);
    expect(reasons(inc, uk)).toEqual(['one domain name, "acme", under two suffixes: acme.com and acme.co.uk']);
    expect(reasons(globex, typo)).toEqual(['near-identical names ("globex industries" and "globx industries", one letter apart)']);
    expect(pairs[0]!.reasons).toHaveLength(2);
    expect(pairs).toHaveLength(3);
    expect(count).toBe(3);
  });

  it('counts every pair but words only the first ones asked for', async () => {
    const { count, first } = await findDuplicates({ customers: [customer('c1', 'Acme Inc'), customer('c2', 'Acme Ltd'), customer('c3', 'Acme GmbH')], contacts: [] }, 1);

    expect(count).toBe(3);
    expect(first).toHaveLength(1);
  });

  it('does not take names whose numbers differ, or short names one letter apart, for duplicates', async () => {
    const found = await findDuplicates({ customers: [customer('c1', 'Store 12'), customer('c2', 'Store 13'), customer('c3', 'Ikea'), customer('c4', 'Ikee')], contacts: [] }, 10);

    expect(found).toEqual({ count: 0, first: [] });
  });
});
