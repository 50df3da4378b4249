import { describe, expect, it } from 'vitest';
import { closest } from '../../../src/resolve/closest.ts';

const byName = (name: string) => [name];

/** The optimal-string-alignment distance in full, with no limit and no shortcut: what "closest" must agree with. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** A tiny seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('did you mean', () => {
  it('offers the names a typo is closest to, the closest first', async () => {
    const customers = ['Locor Retail', 'Locorfin Retail', 'Northwind Traders', 'Eoncorfin Retail'];
    expect(await closest('Locorfn Retail', customers, byName)).toEqual(['Locorfin Retail', 'Locor Retail', 'Eoncorfin Retail']);
    expect(await closest('nortwhind', customers, byName)).toEqual([]);
    expect(await closest('northwnd traders', customers, byName)).toEqual(['Northwind Traders']);
  });

  it('reads past case and accents', async () => {
    const customers = ['Société Générale', 'Acme'];
    expect(await closest('societe generalle', customers, byName)).toEqual(['Société Générale']);
    expect(await closest('ACNE', customers, byName)).toEqual(['Acme']);
  });

  it('suggests exactly what measuring every name in full would', async () => {
    const next = random(7);
    const syllables = ['lo', 'cor', 'fin', 're', 'tail', 'ob', 'tor', 'stu', 'di', 'os', 'acme', 'zen', 'ka', 'qua', 'x'];
    const word = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => syllables[Math.floor(next() * syllables.length)]).join('');
    const customers = Array.from({ length: 400 }, () => (next() < 0.5 ? word() : `${word()} ${word()}`));
    for (let round = 0; round < 200; round++) {
      const letters = [...customers[Math.floor(next() * customers.length)]!];
      for (let edits = Math.floor(next() * 4); edits > 0; edits--) {
        const at = Math.floor(next() * letters.length);
        const kind = next();
        if (kind < 0.3) letters.splice(at, 1);
        else if (kind < 0.6) letters.splice(at, 0, 'aeiouxz'[Math.floor(next() * 7)]!);
        else if (kind < 0.8) letters[at] = 'aeiouxz'[Math.floor(next() * 7)]!;
        else if (at + 1 < letters.length) [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
      }
      const typed = letters.join('').trim();
      if (!typed) continue;
      const expected = customers
        .filter((name) => Math.abs(name.length - typed.length) <= Math.max(2, typed.length / 2))
        .map((name) => ({ name, score: fullDistance(typed, name) / Math.max(typed.length, name.length) }))
        .filter(({ score }) => score <= 0.34)
        .sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, 3)
        .map(({ name }) => name);
      expect(await closest(typed, customers, byName), `typed "${typed}"`).toEqual(expected);
    }
  });
});
