import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodeBinary } from './child.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

/**
 * `npm run crm -- migrate --to <url>` on the data folder, as an operator
 * runs it: how long it took, and the records it copied by its own count.
 * A failed copy, or counts that differ, throw with what it printed.
 */
export async function migrateInto(dataDir: string, url: string): Promise<{ ms: number; records: number }> {
  const began = performance.now();
  const child = spawn(nodeBinary(), ['src/cli/main.ts', 'migrate', '--to', url], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const elapsed = performance.now() - began;
  if (code !== 0 || !out.includes('Every count matches')) throw new Error(`migrate exited ${code}: ${out.trim().split('\n').slice(-6).join(' / ')}`);
  // Each collection's total, the line without "so far".
  let records = 0;
  for (const [, count] of out.matchAll(/^ {2}\w+: ([\d,]+)$/gm)) records += Number(count!.replace(/,/g, ''));
  return { ms: elapsed, records };
}
