/** How the bench prints its figures. */

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 'n/a' : n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`);
export const bytes = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 'n/a' : n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(0)} MB` : `${(n / 1e3).toFixed(0)} kB`);
export const rate = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 'n/a' : `${n.toFixed(0)} req/s`);
export const perSecond = (n: number | undefined, unit: string) => (n === undefined || Number.isNaN(n) ? 'n/a' : `${n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2)} ${unit}/s`);
export const verdict = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'MISSED');

export type Row = [figure: string, measured: string, baseline: string, target: string, verdict: string];

export function step(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}
