import { breathe } from '../breathe.ts';
import type { CustomerName } from '../store/store.ts';
import { domainStem } from './domain-stem.ts';
import { editDistance } from '../resolve/edit-distance.ts';
import { nameKey } from './name-key.ts';
import { oneDeletionHashes } from './one-deletion-hashes.ts';
import { sortByHash } from './sort-by-hash.ts';

/** Two customers that look like one, the one added first first, and every reason found, the strongest first. */
export interface DuplicatePair {
  readonly a: CustomerName;
  readonly b: CustomerName;
  readonly reasons: string[];
}

/** How many pairs were found, and the first of them in order: the most reasons, then the strongest. */
export interface Duplicates {
  readonly count: number;
  readonly first: DuplicatePair[];
}

export interface DuplicateFacts {
  /** The customers to compare: merged ones left out. A pair named in `notDuplicateOf` is never listed. */
  readonly customers: readonly CustomerName[];
  /** Every contact's address and customer. */
  readonly contacts: Iterable<{ readonly email: string; readonly customerId: string | null }>;
}

/**
 * The work is done in turns, so that a hundred thousand customers do not hold
 * up every other request for the whole of it: a turn of the event loop between
 * steps, and within each step after this much of it, a few milliseconds' work.
 */
const contactsPerTurn = 20_000;
const customersPerTurn = 10_000;
const pairsPerTurn = 5_000;
const hashesPerTurn = 100_000;
const keysPerTurn = 50_000;

/** A block that big is a common word, not a clue: its members are not compared with each other. */
const maxBlock = 50;
/** Names shorter than this, once set aside (see nameKey), only count when equal: one letter apart is another short name. */
const minFuzzyLength = 5;

/**
 * Suspected duplicates, by blocking: customers are grouped by keys (a domain's
 * name, the name set aside, each spelling of it with one letter deleted), and
 * only customers that share a key are compared, so the work grows with the
 * number of customers, not with its square. Reasons, strongest first: a
 * contact at the other's domain, the same name, one domain name under two
 * suffixes, near-identical names.
 */
export async function findDuplicates(facts: DuplicateFacts, limit: number): Promise<Duplicates> {
  const customers = facts.customers;
  const count = customers.length;
  // Reasons are worded only for the pairs shown: a large store can have tens of thousands of pairs.
  const pairs = new Map<number, { reasons: [number, () => string][] }>();
  const add = (i: number, j: number, strength: number, reason: () => string) => {
    if (i === j) return;
    const key = i < j ? i * count + j : j * count + i;
    let pair = pairs.get(key);
    if (!pair) {
      if (dismissed(customers[i]!, customers[j]!)) return;
      pairs.set(key, (pair = { reasons: [] }));
    }
    if (!pair.reasons.some(([known]) => known === strength)) pair.reasons.push([strength, reason]);
  };

  const numbers = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const [i, customer] of customers.entries()) {
    if (i % customersPerTurn === customersPerTurn - 1) await breathe();
    numbers.set(customer.id, i);
    for (const domain of customer.domains) owners.set(domain, i);
  }
  let seen = 0;
  for (const contact of facts.contacts) {
    if (++seen % contactsPerTurn === 0) await breathe();
    const employer = contact.customerId === null ? undefined : numbers.get(contact.customerId);
    // Most contacts are at their own customer's domain: that is settled without building a string.
    if (employer === undefined || isAtAny(contact.email, customers[employer]!.domains)) continue;
    const owner = ownerOf(owners, contact.email.slice(contact.email.indexOf('@') + 1));
    if (owner !== undefined && owner !== employer) {
      add(employer, owner, 0, () => `${contact.email}, a contact of ${customers[employer]!.name}, is at ${customers[owner]!.name}'s domain`);
    }
  }

  const keys: string[] = [];
  for (const [i, customer] of customers.entries()) {
    if (i % customersPerTurn === 0) await breathe();
    keys.push(nameKey(customer.name));
  }
  await breathe();
  for (const [key, members] of await groups(customers, (_, i) => [keys[i] || null])) {
    eachPair(members, (i, j) => add(i, j, 1, () => `the same name once case, punctuation and legal forms are set aside ("${key}")`));
  }

  for (const [stem, members] of await groups(customers, (customer) => customer.domains.map(domainStem))) {
    eachPair(members, (i, j) => add(i, j, 2, () => `one domain name, "${stem}", under two suffixes: ${customers[i]!.domains.join(', ')} and ${customers[j]!.domains.join(', ')}`));
  }

  await breathe();
  const compact = keys.map((key) => key.replace(/ /g, ''));
  const candidates = await sharingOneDeletion(compact);
  for (const [n, [i, j]] of candidates.entries()) {
    if (n % pairsPerTurn === 0) await breathe();
    const [x, y] = [compact[i]!, compact[j]!];
    if (x === y || digits(x) !== digits(y)) continue;
    // A long name may carry two slips; a short one that far off is another name.
    const allowed = Math.min(x.length, y.length) >= 10 ? 2 : 1;
    const distance = withinOneEdit(x, y) ? 1 : editDistance(x, y, allowed);
    if (distance <= allowed) add(i, j, 3, () => `near-identical names ("${keys[i]}" and "${keys[j]}", ${distance === 1 ? 'one letter' : 'two letters'} apart)`);
  }

  await breathe();
  // Best first: the most reasons, then the strongest, then the order the customers came in. One number
  // per pair (the rank above the pair's key, itself below count², under 2^42 up to two million
  // customers), so that the sort is native.
  const order = new Float64Array(pairs.size);
  let at = 0;
  for (const [key, { reasons }] of pairs) {
    const strongest = Math.min(...reasons.map(([strength]) => strength));
    order[at++] = ((8 - reasons.length) * 8 + strongest) * 2 ** 42 + key;
  }
  order.sort();
  return {
    count: pairs.size,
    first: [...order.subarray(0, limit)].map((ranked) => {
      const key = ranked % 2 ** 42;
      const reasons = pairs.get(key)!.reasons.sort(([x], [y]) => x - y);
      const [a, b] = olderFirst(customers[Math.floor(key / count)]!, customers[key % count]!);
      return { a, b, reasons: reasons.map(([, reason]) => reason()) };
    }),
  };
}

/** The customer added first, then the other: the one a merge would most likely keep. */
function olderFirst(x: CustomerName, y: CustomerName): [CustomerName, CustomerName] {
  return x.createdAt < y.createdAt || (x.createdAt === y.createdAt && x.id < y.id) ? [x, y] : [y, x];
}

/** True when a person said the two are not duplicates; either record may carry it. */
function dismissed(a: CustomerName, b: CustomerName): boolean {
  return a.notDuplicateOf?.includes(b.id) === true || b.notDuplicateOf?.includes(a.id) === true;
}

/** The owner of `domain` or of a parent of it (eu.acme.com → acme.com). */
function ownerOf(owners: Map<string, number>, domain: string): number | undefined {
  for (let at = 0; ; at = domain.indexOf('.', at) + 1) {
    const owner = owners.get(domain.slice(at));
    if (owner !== undefined || domain.indexOf('.', at) < 0) return owner;
  }
}

/** Customer numbers grouped by each key of theirs (nulls left out); groups of one, and groups too big to mean anything, left out. */
async function groups(customers: readonly CustomerName[], keysOf: (customer: CustomerName, i: number) => (string | null)[]): Promise<Map<string, number[]>> {
  const grouped = new Map<string, number[]>();
  for (const [i, customer] of customers.entries()) {
    if (i % customersPerTurn === customersPerTurn - 1) await breathe();
    const keys = keysOf(customer, i);
    for (const [at, key] of keys.entries()) {
      if (key === null || keys.indexOf(key) < at) continue;
      const group = grouped.get(key);
      if (group) group.push(i);
      else grouped.set(key, [i]);
    }
  }
  // Most keys have one customer: a new map of the rest, built a slice at a time, instead of deleting hundreds of thousands in one go.
  const kept = new Map<string, number[]>();
  let seen = 0;
  for (const [key, group] of grouped) {
    if (++seen % keysPerTurn === 0) await breathe();
    if (group.length >= 2 && group.length <= maxBlock) kept.set(key, group);
  }
  return kept;
}

/**
 * Pairs of names that share a spelling with one letter deleted: every pair
 * one edit apart, and some two apart. Each name number is sorted along with
 * each of its hashes, so that names with an equal hash sit together.
 */
async function sharingOneDeletion(names: readonly string[]): Promise<[number, number][]> {
  let size = 0;
  for (const name of names) if (name.length >= minFuzzyLength) size += name.length + 1;
  const hashes = new Uint32Array(size);
  const owners = new Uint32Array(size);
  let at = 0;
  for (const [i, name] of names.entries()) {
    if (i % customersPerTurn === customersPerTurn - 1) await breathe();
    if (name.length < minFuzzyLength) continue;
    oneDeletionHashes(name, (hash) => {
      hashes[at] = hash;
      owners[at++] = i;
    });
  }
  const sorted = await sortByHash(hashes, owners);
  // Pairs as i * width + j, sorted, so that a pair sharing several spellings comes out once.
  const width = names.length;
  const found: number[] = [];
  let nextTurn = hashesPerTurn;
  for (let start = 0; start < size; ) {
    if (start >= nextTurn) {
      nextTurn += hashesPerTurn;
      await breathe();
    }
    let end = start + 1;
    while (end < size && sorted.hashes[end] === sorted.hashes[start]) end++;
    if (end - start <= maxBlock) {
      for (let p = start; p < end; p++) {
        for (let q = p + 1; q < end; q++) {
          const i = sorted.items[p]!;
          const j = sorted.items[q]!;
          if (i !== j) found.push(Math.min(i, j) * width + Math.max(i, j));
        }
      }
    }
    start = end;
  }
  const keys = Float64Array.from(found).sort();
  const pairs: [number, number][] = [];
  for (let k = 0; k < keys.length; k++) {
    if (k === 0 || keys[k] !== keys[k - 1]) pairs.push([Math.floor(keys[k]! / width), keys[k]! % width]);
  }
  return pairs;
}

/** True when `email` is at one of `domains` exactly. */
function isAtAny(email: string, domains: readonly string[]): boolean {
  for (const domain of domains) {
    const at = email.length - domain.length - 1;
    if (at > 0 && email.charCodeAt(at) === 64 && email.endsWith(domain)) return true;
  }
  return false;
}

/** True when one insertion, deletion, substitution or swap of neighbours turns `a` into `b`; linear, unlike editDistance. */
function withinOneEdit(a: string, b: string): boolean {
  if (a.length < b.length) [a, b] = [b, a];
  if (a.length - b.length > 1) return false;
  let i = 0;
  while (i < b.length && a[i] === b[i]) i++;
  if (a.length > b.length) return a.slice(i + 1) === b.slice(i);
  if (a.slice(i + 1) === b.slice(i + 1)) return true;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function eachPair(members: readonly number[], visit: (i: number, j: number) => void): void {
  for (let p = 0; p < members.length; p++) for (let q = p + 1; q < members.length; q++) visit(members[p]!, members[q]!);
}

/** "Acme 2" and "Acme 3" are two customers, not a typo: names whose numbers differ are never near-identical. */
function digits(name: string): string {
  return name.replace(/\D/g, '');
}
