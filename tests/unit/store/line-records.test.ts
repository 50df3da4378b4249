import { describe, expect, it } from 'vitest';
import { LineIds, LineIdsBuilder, type LineIdParts } from '../../../src/store/lowdb/line-ids.ts';
import { LineRecords } from '../../../src/store/lowdb/line-records.ts';
import { SnapshotLines } from '../../../src/store/lowdb/snapshot-lines.ts';

interface Note {
  id: string;
  text: string;
}

/** The ids' parts, built from batches of `batchSize` as a scanning worker posts them. */
function idParts(ids: string[], batchSize = 2): LineIdParts | null {
  const builder = new LineIdsBuilder();
  for (let first = 0; first < ids.length; first += batchSize) {
    const batch = ids.slice(first, first + batchSize);
    let end = 0;
    builder.add(batch.join(''), Int32Array.from(batch, (id) => (end += id.length)));
  }
  return builder.finish();
}

/** A snapshot's lines as a scan keeps them: the bytes, where each record is, and its id. */
function linesOf(records: Note[]): SnapshotLines<Note> {
  const texts = records.map((record) => JSON.stringify(record));
  const bytes = Buffer.from(texts.map((text) => `  ${text}`).join(',\n'));
  const start: number[] = [];
  const end: number[] = [];
  let at = 0;
  for (const text of texts) {
    start.push(at + 2);
    end.push(at + 2 + Buffer.byteLength(text));
    at += 2 + Buffer.byteLength(text) + 2;
  }
  const chunk = new ArrayBuffer(bytes.length);
  bytes.copy(Buffer.from(chunk));
  const ids = idParts(records.map((record) => record.id))!;
  return new SnapshotLines({ chunks: [chunk], offsets: new Float64Array(1), chunk: new Int32Array(records.length), start: Int32Array.from(start), end: Int32Array.from(end), ids });
}

/** Lines laid out with `separators[n]` between record `n` and the next, each line's place starting at its indentation, as a scan finds them. */
function linesLaidOut(records: Note[], separators: string[]): SnapshotLines<Note> {
  let text = '  ';
  const start = [0];
  const end: number[] = [];
  records.forEach((record, n) => {
    text += JSON.stringify(record);
    end.push(Buffer.byteLength(text));
    if (n === records.length - 1) return;
    const separator = separators[n]!;
    start.push(Buffer.byteLength(text + separator.slice(0, separator.indexOf('\n') + 1)));
    text += separator;
  });
  const bytes = Buffer.from(`${text}\n`);
  const chunk = new ArrayBuffer(bytes.length);
  bytes.copy(Buffer.from(chunk));
  return new SnapshotLines({ chunks: [chunk], offsets: new Float64Array(1), chunk: new Int32Array(records.length), start: Int32Array.from(start), end: Int32Array.from(end), ids: idParts(records.map((record) => record.id))! });
}

const notes: Note[] = ['a', 'b', 'c', 'é', 'e'].map((id) => ({ id, text: `note ${id} — «quoted»` }));

describe('records kept as the lines of their snapshot', () => {
  it('reads each line as its record, frozen, and says which line holds an id', () => {
    const records = new LineRecords(linesOf(notes));
    expect([...records.values()]).toEqual(notes);
    expect(records.get('é')).toEqual(notes[3]);
    expect(Object.isFrozen(records.get('a'))).toBe(true);
    expect([records.has('c'), records.has('z'), records.get('z')]).toEqual([true, false, undefined]);
    expect(idParts(['a', 'b', 'a'])).toBeNull();
  });

  it('finds each of many ids posted in batches, and notices one used twice in different batches', () => {
    const ids = Array.from({ length: 5000 }, (_, n) => `int_${n.toString(36)}${n % 7 === 0 ? 'é' : ''}`);
    const table = new LineIds(idParts(ids, 777)!);
    expect(table.count).toBe(ids.length);
    ids.forEach((id, n) => {
      expect(table.line(id)).toBe(n);
      expect(table.id(n)).toBe(id);
    });
    expect([table.line('int_'), table.line('missing')]).toEqual([-1, -1]);
    expect(idParts([...ids, ids[1234]!], 777)).toBeNull();
  });

  it('changes as a Map of the same records would: a replaced record keeps its place, a new or returning one goes last', () => {
    const records = new LineRecords(linesOf(notes));
    const map = new Map(notes.map((note) => [note.id, note]));
    const steps: [string, Note | null][] = [
      ['b', { id: 'b', text: 'changed' }],
      ['c', null],
      ['x', { id: 'x', text: 'new' }],
      ['c', { id: 'c', text: 'back' }],
      ['x', { id: 'x', text: 'newer' }],
      ['a', null],
      ['x', null],
      ['x', { id: 'x', text: 'again' }],
      ['zz', null],
    ];
    for (const [id, record] of steps) {
      expect(record ? (records.set(id, record), true) : records.delete(id)).toBe(record ? (map.set(id, record), true) : map.delete(id));
      expect([...records.values()]).toEqual([...map.values()]);
      expect(records.size).toBe(map.size);
      for (const key of ['a', 'b', 'c', 'x', 'zz']) expect(records.get(key)).toEqual(map.get(key));
    }
    expect([...records.pieces()].map(String).join(',\n  ')).toEqual([...map.values()].map((note) => JSON.stringify(note)).join(',\n  '));
    expect([...records.objects()].map((note) => note.text).sort()).toEqual(['again', 'back', 'changed']);
  });

  it('copies lines that follow one another in the file as one piece of its bytes, a line laid out otherwise or replaced on its own', () => {
    // a and b as the store writes them; a carriage return before c; c and é again; four spaces before e.
    const records = new LineRecords(linesLaidOut(notes, [',\n  ', ',\r\n  ', ',\n  ', ',\n    ']));
    const json = (id: string) => JSON.stringify(notes.find((note) => note.id === id));
    const given = (pieces: Iterable<string | Buffer>) => [...pieces].map((piece) => (typeof piece === 'string' ? piece : `bytes: ${piece.toString()}`));
    expect(given(records.pieces())).toEqual([`bytes: ${json('a')},\n  ${json('b')}`, `bytes: ${json('c')},\n  ${json('é')}`, `bytes: ${json('e')}`]);
    expect(given(records.pieces(null, 1))).toEqual(['a', 'b', 'c', 'é', 'e'].map((id) => `bytes: ${json(id)}`));

    records.set('a', { id: 'a', text: 'changed' });
    records.delete('é');
    expect(given(records.pieces())).toEqual(['{"id":"a","text":"changed"}', `bytes: ${json('b')}`, `bytes: ${json('c')}`, `bytes: ${json('e')}`]);
  });

  it('keeps what it held when copied, whatever changes after', () => {
    const records = new LineRecords(linesOf(notes));
    records.set('b', { id: 'b', text: 'changed' });
    const copy = records.copy();
    records.delete('b');
    records.set('y', { id: 'y', text: 'later' });
    expect([...copy.values()].map((note) => note.text)).toEqual(notes.map((note) => (note.id === 'b' ? 'changed' : note.text)));
    expect([records.isCurrent(0), records.isCurrent(1)]).toEqual([true, false]);
  });
});
