import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

/**
 * Where the time went in a V8 CPU profile (.cpuprofile, as --cpu-prof or the
 * inspector writes it): self time by function and by file, the largest first.
 *
 * Run alone: node tests/bench/profile-summary.ts FILE.cpuprofile [--top 25]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; where: string; selfMs: number; share: number }[];
  files: { file: string; selfMs: number; share: number }[];
}

const repoRoot = new URL('../../', import.meta.url).pathname;

export async function summarizeProfile(path: string, top = 20): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next sample.
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + dt);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const files = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const file = frame.url ? shorten(frame.url) : frame.functionName.startsWith('(') ? frame.functionName : '(native)';
    const where = frame.url ? `${file}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    files.set(file, (files.get(file) ?? 0) + us);
  }
  return {
    totalMs: total / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: f.us / 1000, share: f.us / total })),
    files: [...files.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([file, us]) => ({ file, selfMs: us / 1000, share: us / total })),
  };
}

function shorten(url: string): string {
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  return path.startsWith(repoRoot) ? relative(repoRoot, path) : path.startsWith('node:') ? path : path.replace(/^.*node_modules\//, 'node_modules/');
}

export function formatSummary(summary: ProfileSummary, top = 15): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `self time by function (of ${(summary.totalMs / 1000).toFixed(1)} s sampled):`,
    ...summary.functions.slice(0, top).map((f) => `  ${pct(f.share)}  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}${f.where ? ` (${f.where})` : ''}`),
    'self time by file:',
    ...summary.files.slice(0, Math.min(top, 10)).map((f) => `  ${pct(f.share)}  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.file}`),
  ];
}

if (import.meta.main) {
  const { parseArgs } = await import('node:util');
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  if (positionals.length === 0) {
    console.error('usage: node tests/bench/profile-summary.ts FILE.cpuprofile [--top 25]');
    process.exit(2);
  }
  for (const file of positionals) {
    console.log(file);
    for (const line of formatSummary(await summarizeProfile(file, Number(values.top)), Number(values.top))) console.log(line);
  }
}
