import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/logger.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const writer = join(import.meta.dirname, 'crash-writer.ts');
/** The project's Node 24 (the `node` npm package), as the bench uses. */
const node = existsSync(join(repoRoot, 'node_modules', '.bin', 'node')) ? join(repoRoot, 'node_modules', '.bin', 'node') : process.execPath;

/** What the children acknowledged, across rounds: every one must be there after each kill. */
interface Acknowledged {
  interactions: Set<string>;
  /** Interaction id → the summary of its last acknowledged update. */
  updated: Map<string, string>;
  customers: Set<string>;
  /** Block id → there, gone (its removal was acknowledged), or either (a removal may have landed unacknowledged). */
  blocks: Map<string, 'there' | 'gone' | 'either'>;
}

/**
 * Starts crash-writer.ts on `dir`, lets it acknowledge between `minAcks` and
 * a few hundred writes, waits a random moment more, and kills it with SIGKILL.
 */
async function runAndKill(dir: string, prefix: string, acked: Acknowledged, random: () => number): Promise<number> {
  const child = spawn(node, [writer, dir, prefix], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const target = 30 + Math.floor(random() * 600);
  let count = 0;
  let partial = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the writer acknowledged only ${count} writes in 20 s:\n${stderr}`)), 20_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        record(acked, line);
        count++;
      }
      if (count >= target) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`the writer exited (${signal ?? `code ${code}`}) before it was killed:\n${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 40)));
  child.kill('SIGKILL');
  const { signal } = await exited;
  expect(signal).toBe('SIGKILL');
  return count;
}

function record(acked: Acknowledged, line: string): void {
  const [kind, id, ...rest] = line.split(' ');
  if (!id) return;
  if (kind === 'int' || kind === 'msg') acked.interactions.add(id);
  else if (kind === 'upd') acked.updated.set(id, rest.join(' '));
  else if (kind === 'cus') acked.customers.add(id);
  else if (kind === 'blk') acked.blocks.set(id, rest[0] === 'then-removed' ? 'either' : 'there');
  else if (kind === 'unb') acked.blocks.set(id, 'gone');
}

/**
 * Every snapshot is a whole JSON array; every journal line but a torn last
 * one is JSON. The interactions' index is binary, and a start uses it only
 * if it belongs to the snapshot, which the reopened store's answers check.
 */
async function assertFilesParse(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith('.') || name === 'guanxi.lock' || name.endsWith('.index')) continue;
    const text = await readFile(join(dir, name), 'utf8');
    if (name.endsWith('.json')) {
      expect(Array.isArray(JSON.parse(text)), name).toBe(true);
    } else {
      const lines = text.split('\n');
      lines.pop(); // after the last newline: empty, or a torn line
      for (const [index, line] of lines.entries()) expect(() => JSON.parse(line), `${name} line ${index + 1}`).not.toThrow();
    }
  }
}

describe('lowdb store: kill -9 at random moments', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'guanxi-crash-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('loses no acknowledged write and leaves every file readable, round after round', { timeout: 120_000 }, async () => {
    const dir = join(root, 'data');
    const acked: Acknowledged = { interactions: new Set(), updated: new Map(), customers: new Set(), blocks: new Map() };
    let seed = 0x9e3779b9;
    const random = () => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return seed / 2 ** 32;
    };
    const notes: string[] = [];
    const log: Logger = { info: () => {}, warn: (m) => void notes.push(m), error: (m) => void notes.push(m) };

    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const count = await runAndKill(dir, `r${round}`, acked, random);
      expect(count).toBeGreaterThan(0);
      await assertFilesParse(dir);
      // Every other round, the next child starts over the crashed folder itself.
      if (round % 2 === 0 && round !== rounds - 1) continue;

      const store = await openLowdbStore(dir, { log, scanFromBytes: 0 });
      for (const id of acked.interactions) expect(await store.interactions.get(id), id).not.toBeNull();
      for (const [id, summary] of acked.updated) {
        // A later update may have landed without its acknowledgement reaching us; never an earlier one.
        const stored = await store.interactions.get(id);
        expect(stored?.summary.startsWith('updated in round'), id).toBe(true);
        expect(Number(stored?.summary.split(' ').pop())).toBeGreaterThanOrEqual(Number(summary.split(' ').pop()));
      }
      for (const id of acked.customers) expect(await store.customers.get(id), id).not.toBeNull();
      const blocks = new Set((await store.blocks.list()).map((block) => block.id));
      for (const [id, state] of acked.blocks) if (state !== 'either') expect(blocks.has(id), id).toBe(state === 'there');
      await store.close();
      await assertFilesParse(dir);
    }
    expect(notes.every((note) => note.includes('ignored its last line'))).toBe(true);
  });
});
