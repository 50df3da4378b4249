import { describe, expect, it } from 'vitest';
import { Matches } from '../../../src/store/lowdb/rank-match.ts';

interface Row {
  name: string;
  email: string;
}

const rows: Row[] = Array.from({ length: 60_000 }, (_, i) => ({ name: `Person ${i}`, email: `p${i}@example.com` }));
const byName = (a: Row, b: Row) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const texts = (row: Row): [string, string[]] => [row.name, [row.email]];

describe('a search over every record', () => {
  it('keeps the best matches: exact, then beginning, then anywhere, each by name', async () => {
    const people = [{ name: 'Ann Lee', email: 'lee@acme.com' }, { name: 'Lee', email: 'x@y.com' }, { name: 'Leena Ali', email: 'la@acme.com' }, { name: 'Bo', email: 'bo@acme.com' }];
    expect((await Matches.for<Row>('lee', 10, byName)!.offerAll(people, texts)).map((p) => p.name)).toEqual(['Lee', 'Ann Lee', 'Leena Ali']);
    expect((await Matches.for<Row>('LEE ', 2, byName)!.offerAll(people, texts)).map((p) => p.name)).toEqual(['Lee', 'Ann Lee']);
    expect(Matches.for<Row>('  ', 10, byName)).toBeNull();
  });

  it('passes over what the caller leaves out', async () => {
    const found = await Matches.for<Row>('person 1', 5, byName)!.offerAll(rows.slice(0, 20), (row) => (row.name.endsWith('1') ? null : texts(row)));
    expect(found.map((p) => p.name)).toEqual(['Person 10', 'Person 12', 'Person 13', 'Person 14', 'Person 15']);
  });

  it('lets other work run while it goes through tens of thousands', async () => {
    let finished = false;
    let ranMeanwhile = false;
    const searching = Matches.for<Row>('person 59999', 5, byName)!.offerAll(rows, texts).then((found) => {
      finished = true;
      return found;
    });
    setImmediate(() => {
      ranMeanwhile = !finished;
    });
    expect((await searching).map((p) => p.name)).toEqual(['Person 59999']);
    expect(ranMeanwhile).toBe(true);
  });
});
