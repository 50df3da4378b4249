/** Trims and lower-cases a domain or a mail address, for matching and before writing: both stores, alike. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * Lower-cases the strings of a field about to be written, so `Acme.COM`
 * collides with `acme.com`. Anything that is not a string is left for the
 * schema to reject, naming the field.
 */
export function normalizeAddresses<T>(value: T): T {
  if (typeof value === 'string') return normalizeAddress(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? normalizeAddress(item) : item)) as T;
  return value;
}
