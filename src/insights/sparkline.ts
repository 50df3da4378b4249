const bars = '▁▂▃▄▅▆▇█';

/**
 * A trend in eight heights. Scaled to `range` when given (a poll's scale),
 * else from zero to the largest value: `[0, 2, 4, 8]` is "▁▂▄█"; all zeros
 * are all "▁".
 */
export function sparkline(values: readonly number[], range: { min: number; max: number } = { min: 0, max: Math.max(0, ...values) }): string {
  const { min, max } = range;
  return values.map((value) => bars[max <= min ? 0 : Math.round(((Math.min(max, Math.max(min, value)) - min) / (max - min)) * (bars.length - 1))]).join('');
}
