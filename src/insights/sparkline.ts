const bars = '▁▂▃▄▅▆▇█';

/** A trend in eight heights, scaled to the largest value: `[0, 2, 4, 8]` is "▁▂▄█"; all zeros are all "▁". */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((value) => bars[max === 0 ? 0 : Math.round((Math.max(0, value) / max) * (bars.length - 1))]).join('');
}
