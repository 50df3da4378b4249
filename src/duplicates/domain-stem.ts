/** Second-level labels under a country code (co.uk, com.br, ac.jp…): the name is the label before them. */
const secondLevels = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go', 'gob', 'ltd', 'plc']);

/**
 * The name a domain is registered under, without its suffix: "acme" for
 * acme.com, acme.co.uk and eu.acme.de. Null for a domain whose name is too
 * short to say anything (two letters or fewer).
 */
export function domainStem(domain: string): string | null {
  const labels = domain.toLowerCase().split('.');
  let at = labels.length - 2;
  if (at >= 1 && labels.at(-1)!.length === 2 && secondLevels.has(labels[at]!)) at--;
  const stem = labels[at];
  return stem !== undefined && stem.length > 2 ? stem : null;
}
