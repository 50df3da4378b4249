import { isoLength } from '../../time/instant.ts';

/**
 * Orders two stored instants (ISO-8601 UTC, as the schemas require). Two
 * written as toISOString writes them, as the store does, have fixed-width
 * fields, so they compare as text, with no parsing and nothing allocated;
 * any other pair (no milliseconds, or more digits) is parsed. Both ways agree,
 * so the order is one order.
 */
export function compareInstants(a: string, b: string): number {
  if (a.length === isoLength && b.length === isoLength) return a < b ? -1 : a > b ? 1 : 0;
  return Date.parse(a) - Date.parse(b);
}

/** Orders two ids byte for byte, as PostgreSQL's `collate "C"` does. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
