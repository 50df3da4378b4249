import { randomBytes } from 'node:crypto';

/** Makes a new record id such as `cus_7k2q9x3m4t`. */
export type IdGenerator = (prefix: IdPrefix) => string;
export type IdPrefix = 'cus' | 'con' | 'int' | 'rem' | 'sug' | 'case' | 'dea' | 'pol';

// Crockford's base32 without i, l, o, u: easy to read aloud and to type.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** 50 random bits: a collision among a million records is about a one-in-two-thousand event. */
export const randomIds: IdGenerator = (prefix) => {
  const bytes = randomBytes(10);
  let id = '';
  for (const byte of bytes) id += alphabet[byte & 31];
  return `${prefix}_${id}`;
};
