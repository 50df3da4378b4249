/** The length of an instant as `Date.prototype.toISOString` writes it: `2026-12-02T17:00:00.000Z`. */
const isoLength = 24;

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

/**
 * `Date.parse` of a stored instant, several times faster for the form
 * toISOString writes (the schema has checked the digits); any other form, or
 * a year before 100 (which Date.UTC reads as 19xx), goes to Date.parse.
 */
export function instantMs(text: string): number {
  if (text.length !== isoLength || text.charCodeAt(19) !== 0x2e || text.charCodeAt(23) !== 0x5a) return Date.parse(text);
  const year = digits(text, 0, 4);
  if (year < 100) return Date.parse(text);
  return Date.UTC(year, digits(text, 5, 2) - 1, digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), digits(text, 20, 3));
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

/** Orders two ids byte for byte, as PostgreSQL's `collate "C"` does. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
