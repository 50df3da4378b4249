/** Words that only say what kind of company it is; set aside at the end of a name (and "the" at its start). */
const legalForms = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'llc', 'llp', 'lp', 'plc',
  'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'pty', 'pte', 'kk', 'sl', 'ltda', 'lda',
]);

/**
 * A customer name as duplicate detection compares it: lower-cased, accents,
 * punctuation and a trailing legal form set aside, so that "ACME, Inc.",
 * "Acme Inc" and "Acme S.A." are all "acme". Dots go before anything else so
 * that "S.A." reads as "sa". Empty for a name that is only a legal form.
 */
export function nameKey(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\./g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && legalForms.has(words.at(-1)!)) words.pop();
  return words.join(' ');
}
