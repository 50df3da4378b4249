import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { contactSchema, type Contact } from '../../src/domain/contact.ts';
import { customerSchema, type Customer } from '../../src/domain/customer.ts';
import { interactionSchema, notAMessage, type Interaction } from '../../src/domain/interaction.ts';
import { memberSchema, type Member } from '../../src/domain/member.ts';
import { reminderSchema, type Reminder } from '../../src/domain/reminder.ts';
import { JsonArrayFile } from './json-array-file.ts';
import { Random } from './random.ts';

/**
 * A deterministic synthetic CRM for the benchmark: customers with one or two
 * unique domains, contacts at those domains, and interactions spread over the
 * customers with a long tail (a few accounts have thousands), all valid
 * against the domain schemas, written straight into a DATA_DIR in the lowdb
 * store's file format (one JSON array per collection, one record per line).
 *
 * Run alone: node tests/bench/dataset.ts --out DIR [--scale 0.01] [--seed S] [--check]
 */

export interface DatasetSize {
  customers: number;
  contacts: number;
  interactions: number;
  reminders: number;
  members: number;
}

/** Issue 4's full size: 100,000 customers, 300,000 contacts, 1,000,000 interactions. */
export const fullSize: DatasetSize = { customers: 100_000, contacts: 300_000, interactions: 1_000_000, reminders: 5_000, members: 20 };

export function sizeForScale(scale: number): DatasetSize {
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, not ${scale}`);
  const customers = Math.max(1, Math.round(fullSize.customers * scale));
  return {
    customers,
    contacts: Math.max(customers, Math.round(fullSize.contacts * scale)),
    interactions: Math.round(fullSize.interactions * scale),
    reminders: Math.round(fullSize.reminders * scale),
    members: fullSize.members,
  };
}

/** A team member as the Slack fake should know them (same id, name, zone, address). */
export interface BenchMember {
  id: string;
  name: string;
  realName: string;
  tz: string;
  email: string;
}

export interface Dataset {
  dir: string;
  seed: string;
  size: DatasetSize;
  /** Bytes per file name. */
  files: Record<string, number>;
  totalBytes: number;
  generatedMs: number;
  /** How the records were checked against the schemas: every one, or a sample. */
  validated: { records: number; of: number };
  members: BenchMember[];
  /** The customer with the longest timeline. */
  busiest: { name: string; interactions: number };
  /** Interactions of the median customer. */
  medianInteractions: number;
  /** Exact customer names to find: the busiest accounts first, then a random sample. */
  findNames: string[];
  /** Customers to log on, in order: busy and quiet ones mixed. */
  logNames: string[];
}

export interface GenerateOptions {
  seed?: string;
  /** Validate every record (default: every record up to 50,000 per file, else a sample). */
  validateAll?: boolean;
}

/** Every instant in the dataset is before this one; a fixed date keeps the files identical run to run. */
export const anchor = Date.parse('2026-10-01T00:00:00.000Z');
const day = 86_400_000;

const syllables = ['ka', 'lo', 'mi', 'ra', 'ven', 'tor', 'zu', 'bel', 'cor', 'dra', 'el', 'fin', 'gar', 'hal', 'ix', 'jo', 'kel', 'lum', 'mor', 'nex', 'ob', 'pra', 'quin', 'ros', 'sol', 'tal', 'ul', 'vor', 'wen', 'xan', 'yel', 'zen', 'ar', 'bri', 'cas', 'del', 'eon', 'fla', 'gro', 'hex'];
const companySuffixes = ['Systems', 'Labs', 'Group', 'Logistics', 'Foods', 'Health', 'Energy', 'Capital', 'Analytics', 'Robotics', 'Media', 'Partners', 'Industries', 'Works', 'Bank', 'Motors', 'Pharma', 'Textiles', 'Software', 'Retail', 'Airlines', 'Studios', 'Holdings', 'Consulting'];
const topLevel = ['com', 'com', 'com', 'io', 'co', 'net', 'de', 'fr', 'co.uk', 'com.br', 'jp', 'cn'];
const firstNames = ['Ana', 'Bo', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tara', 'Uma', 'Victor', 'Wei', 'Xenia', 'Yusuf', 'Zoe', 'Aiko', 'Bruno', 'Carmen', 'Diego', 'Emeka', 'Fatima', 'Giulia', 'Hamza', 'Ivan', 'Julia', 'Kenji', 'Leila', 'Marco', 'Nina', 'Olga', 'Pablo', 'Ravi', 'Sofia', 'Tomas', 'Valentina', 'Wanjiru', 'Yara'];
const lastNames = ['Lima', 'Chen', 'Martin', 'Okafor', 'Novak', 'Haddad', 'Kim', 'Garcia', 'Schmidt', 'Rossi', 'Tanaka', 'Dubois', 'Singh', 'Kowalski', 'Silva', 'Nguyen', 'Andersen', 'Moreau', 'Ivanova', 'Mensah', 'Costa', 'Yamamoto', 'Fischer', 'Lopez', 'Petrov', 'Ali', 'Wang', 'Jensen', 'Bianchi', 'Sato', 'Khan', 'Muller', 'Ortiz', 'Park', 'Nowak', 'Santos', 'Weber', 'Hughes', 'Reyes', 'Larsen'];
const topics = ['pricing for the renewal', 'the Q3 rollout plan', 'SSO and SCIM setup', 'a discount for two years', 'the security questionnaire', 'onboarding their EMEA team', 'API rate limits', 'the invoice in dispute', 'adding 40 seats', 'data residency in the EU', 'the pilot results', 'a custom integration', 'their procurement process', 'support response times', 'the new dashboard', 'migrating from their old CRM', 'the contract redlines', 'a case study', 'training sessions', 'the roadmap for next year'];
const outcomes = ['They will confirm by Friday.', 'Sending a revised quote tomorrow.', 'Legal needs another week.', 'Champion is on board; CFO is not yet.', 'Agreed to a follow-up call next Tuesday.', 'No decision yet, budget frozen until January.', 'Happy overall, wants faster support.', 'Asked for references in their industry.', 'Will loop in their IT lead.', 'Verbal yes, paperwork to follow.', 'Need to check with our product team.', 'They are evaluating a competitor too.'];
const zones = ['America/Los_Angeles', 'America/New_York', 'Europe/Paris', 'Europe/London', 'Asia/Shanghai', 'Asia/Tokyo', 'America/Sao_Paulo', 'Africa/Lagos', 'Asia/Kolkata', 'Australia/Sydney'];
const kinds: readonly (readonly [Interaction['kind'], number])[] = [['message', 45], ['call', 20], ['note', 17], ['meeting', 15], ['owner_change', 3]];

/** Crockford base32 without i, l, o, u, as src/ids.ts. */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids shaped like src/ids.ts (`cus_` and ten base-32 characters): seven come
 * from a bijective scramble of the record's number, so they never collide,
 * and three are random.
 */
function idMaker(prefix: string, key: number, random: Random): (index: number) => string {
  return (index) => {
    let x = (index ^ key) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
    x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    let id = `${prefix}_`;
    for (let i = 0; i < 7; i++) id += alphabet[Math.floor(x / 32 ** i) % 32];
    for (let i = 0; i < 3; i++) id += alphabet[random.uint32() & 31];
    return id;
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Checks a record against its schema: always the first records, then one in `every`. */
class Validator<T> {
  readonly #schema: z.ZodType<T>;
  readonly #every: number;
  readonly #label: string;
  checked = 0;
  seen = 0;

  constructor(label: string, schema: z.ZodType<T>, total: number, validateAll: boolean) {
    this.#label = label;
    this.#schema = schema;
    this.#every = validateAll || total <= 50_000 ? 1 : Math.ceil(total / 5_000);
  }

  check(record: T): void {
    if (this.seen++ % this.#every !== 0 && this.seen > 100) return;
    this.checked++;
    const result = this.#schema.safeParse(record);
    if (!result.success) {
      throw new Error(`The generator built an invalid ${this.#label}: ${JSON.stringify(record)}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
  }
}

export async function generateDataset(dir: string, size: DatasetSize, options: GenerateOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const seed = options.seed ?? 'guanxi-bench-1';
  const validateAll = options.validateAll ?? false;
  await mkdir(dir, { recursive: true });
  const existing = (await readdir(dir)).filter((name) => !name.startsWith('.'));
  if (existing.length > 0) throw new Error(`${dir} is not empty (${existing.slice(0, 5).join(', ')}); the dataset goes into an empty folder`);
  if (size.members < 1) throw new Error('the dataset needs at least one member');

  const random = new Random(seed);
  const files: Record<string, number> = {};
  const validators: Validator<unknown>[] = [];
  const finish = async (file: JsonArrayFile, name: string) => {
    await file.close();
    files[name] = file.bytes;
  };

  // Members: the team, as Slack users (the bench's Slack fake knows the same people).
  const members: BenchMember[] = [];
  const memberRecords: Member[] = [];
  {
    const file = new JsonArrayFile(join(dir, 'members.json'));
    const check = new Validator('member', memberSchema, size.members, validateAll);
    validators.push(check as Validator<unknown>);
    for (let i = 0; i < size.members; i++) {
      const first = firstNames[i % firstNames.length]!;
      const last = lastNames[(i * 7) % lastNames.length]!;
      const id = `U0BENCH${String(i).padStart(3, '0')}`;
      const email = `${slug(first)}.${slug(last)}${i >= firstNames.length ? i : ''}@ourteam.io`;
      const member: BenchMember = { id, name: slug(first), realName: `${first} ${last}`, tz: zones[i % zones.length]!, email };
      members.push(member);
      const record: Member = {
        id,
        name: member.realName,
        email,
        tz: member.tz,
        role: i === 0 ? 'admin' : i <= 2 ? 'manager' : 'rep',
        managerId: i <= 2 ? null : `U0BENCH${String(1 + (i % 2)).padStart(3, '0')}`,
        createdAt: iso(anchor - 800 * day),
        // Checked long before the anchor: the server reads each profile once, on that member's first command.
        profileCheckedAt: iso(anchor - 30 * day),
      };
      check.check(record);
      memberRecords.push(record);
      file.add(record);
    }
    await finish(file, 'members.json');
  }
  const memberIds = members.map((m) => m.id);

  // Customers: unique names and domains.
  const customerIds: string[] = [];
  const customerNames: string[] = [];
  const customerDomains: string[][] = [];
  const customerOwners: (string | null)[] = [];
  {
    const file = new JsonArrayFile(join(dir, 'customers.json'));
    const check = new Validator('customer', customerSchema, size.customers, validateAll);
    validators.push(check as Validator<unknown>);
    const makeId = idMaker('cus', random.uint32(), random);
    const names = new Set<string>();
    const domains = new Set<string>();
    for (let i = 0; i < size.customers; i++) {
      let name = '';
      for (let attempt = 0; ; attempt++) {
        const parts = random.int(2, 3);
        let base = '';
        for (let p = 0; p < parts; p++) base += random.pick(syllables);
        name = `${base[0]!.toUpperCase()}${base.slice(1)} ${random.pick(companySuffixes)}`;
        // Past 20 tries the customer's own number makes the name unique.
        if (attempt >= 20) name = `${name} ${i}`;
        if (!names.has(name.toLowerCase())) break;
        if (attempt >= 100) throw new Error(`could not make a unique name for customer ${i}`);
      }
      names.add(name.toLowerCase());
      const own: string[] = [];
      const primary = uniqueDomain(domains, slug(name), random.weighted([['com', 6], [random.pick(topLevel), 4]]));
      own.push(primary);
      if (random.chance(0.35)) own.push(uniqueDomain(domains, random.chance(0.5) ? slug(name) : `get${slug(name)}`, random.pick(topLevel)));
      const owner = random.chance(0.85) ? random.pick(memberIds) : null;
      const customer: Customer = {
        id: makeId(i),
        name,
        domains: own,
        ownerId: owner,
        createdAt: iso(anchor - random.int(760, 1800) * day - random.int(0, day)),
        createdBy: owner ?? random.pick(memberIds),
      };
      check.check(customer);
      customerIds.push(customer.id);
      customerNames.push(name);
      customerDomains.push(own);
      customerOwners.push(owner);
      if (file.add(customer)) await file.drain();
    }
    await finish(file, 'customers.json');
  }

  // Contacts: every customer has one, the rest spread at random; addresses at the customer's domains.
  {
    const file = new JsonArrayFile(join(dir, 'contacts.json'));
    const check = new Validator('contact', contactSchema, size.contacts, validateAll);
    validators.push(check as Validator<unknown>);
    const makeId = idMaker('con', random.uint32(), random);
    const emails = new Set<string>();
    for (let i = 0; i < size.contacts; i++) {
      const c = i < size.customers ? i : random.int(0, size.customers - 1);
      const first = random.pick(firstNames);
      const last = random.pick(lastNames);
      const domain = random.pick(customerDomains[c]!);
      const local = random.weighted([[`${slug(first)}.${slug(last)}`, 6], [slug(first), 2], [`${slug(first)[0]}${slug(last)}`, 2]]);
      let email = `${local}@${domain}`;
      for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
      emails.add(email);
      const fromMail = random.chance(0.4);
      const contact: Contact = {
        id: makeId(i),
        email,
        name: fromMail && random.chance(0.35) ? null : `${first} ${last}`,
        customerId: customerIds[c]!,
        source: fromMail ? 'mail' : 'manual',
        createdAt: iso(anchor - random.int(0, 750) * day - random.int(0, day)),
        createdBy: customerOwners[c] ?? random.pick(memberIds),
      };
      check.check(contact);
      if (file.add(contact)) await file.drain();
    }
    await finish(file, 'contacts.json');
  }

  // Interactions: customer chosen with a long tail. Rank r of a uniform u is
  // N·u^2.5, so the busiest account has about I/N^0.6 interactions (10,000 at
  // full size) and the quietest about 4; a shuffle puts the busy ones anywhere in the file.
  const skew = (() => {
    const order = random.permutation(size.customers);
    return () => order[Math.min(size.customers - 1, Math.floor(size.customers * random.float() ** 2.5))]!;
  })();
  const perCustomer = new Uint32Array(size.customers);
  {
    const file = new JsonArrayFile(join(dir, 'interactions.json'));
    const check = new Validator('interaction', interactionSchema, size.interactions, validateAll);
    validators.push(check as Validator<unknown>);
    const makeId = idMaker('int', random.uint32(), random);
    for (let i = 0; i < size.interactions; i++) {
      const c = skew();
      perCustomer[c]!++;
      const kind = random.weighted(kinds);
      const occurred = anchor - random.int(1, 730 * 24 * 60) * 60_000 - random.int(0, 59) * 1000;
      const logged = Math.min(anchor, occurred + (kind === 'message' ? 60_000 : random.int(1, 48 * 60) * 60_000));
      const by = customerOwners[c] !== null && random.chance(0.6) ? customerOwners[c]! : random.pick(memberIds);
      const interaction: Interaction = {
        id: makeId(i),
        customerId: customerIds[c]!,
        kind,
        summary: summary(random, kind, memberRecords),
        occurredAt: iso(occurred),
        loggedAt: iso(logged),
        loggedBy: by,
        linkReason: 'manual',
        permalink: kind === 'message' ? `https://fake.slack.com/archives/C0BENCH${random.int(10, 99)}/p${Math.floor(occurred / 1000)}${String(random.int(0, 999_999)).padStart(6, '0')}` : null,
        ...notAMessage,
      };
      check.check(interaction);
      if (file.add(interaction)) await file.drain();
    }
    await finish(file, 'interactions.json');
  }

  // Reminders: mostly done; the open ones were already delivered, so the
  // server's reminder job has nothing to send during the bench.
  {
    const file = new JsonArrayFile(join(dir, 'reminders.json'));
    const check = new Validator('reminder', reminderSchema, size.reminders, validateAll);
    validators.push(check as Validator<unknown>);
    const makeId = idMaker('rem', random.uint32(), random);
    for (let i = 0; i < size.reminders; i++) {
      const c = skew();
      const due = anchor - random.int(1, 700) * day + random.int(8, 18) * 3_600_000;
      const done = random.chance(0.7);
      const reminder: Reminder = {
        id: makeId(i),
        customerId: customerIds[c]!,
        ownerId: customerOwners[c] ?? random.pick(memberIds),
        text: `Follow up with ${random.pick(firstNames)} on ${random.pick(topics)}`,
        dueAt: iso(due),
        status: done ? 'done' : 'open',
        deliveredAt: iso(due + 60_000),
        doneAt: done ? iso(Math.min(anchor, due + random.int(1, 72) * 3_600_000)) : null,
        createdAt: iso(due - random.int(1, 30) * day),
      };
      check.check(reminder);
      if (file.add(reminder)) await file.drain();
    }
    await finish(file, 'reminders.json');
  }

  {
    const file = new JsonArrayFile(join(dir, 'deliveries.json'));
    await finish(file, 'deliveries.json');
  }

  // What the bench will ask for.
  const byBusy = Array.from(perCustomer.keys()).sort((a, b) => perCustomer[b]! - perCustomer[a]! || a - b);
  const busiestIndex = byBusy[0] ?? 0;
  const sorted = Array.from(perCustomer).sort((a, b) => a - b);
  const pickRandom = new Random(`${seed}/queries`);
  const findNames = uniqueNames([...byBusy.slice(0, 10), ...Array.from({ length: 1000 }, () => pickRandom.int(0, size.customers - 1))], customerNames, 1000);
  const busy = Math.min(40, byBusy.length);
  const logNames = uniqueNames(Array.from({ length: 400 }, (_, k) => (k % 4 === 0 ? byBusy[k % busy]! : pickRandom.int(0, size.customers - 1))), customerNames, 200);

  return {
    dir,
    seed,
    size,
    files,
    totalBytes: Object.values(files).reduce((a, b) => a + b, 0),
    generatedMs: performance.now() - started,
    validated: { records: validators.reduce((a, v) => a + v.checked, 0), of: validators.reduce((a, v) => a + v.seen, 0) },
    members,
    busiest: { name: customerNames[busiestIndex] ?? '', interactions: perCustomer[busiestIndex] ?? 0 },
    medianInteractions: sorted[Math.floor(sorted.length / 2)] ?? 0,
    findNames,
    logNames,
  };
}

function uniqueDomain(taken: Set<string>, label: string, tld: string): string {
  let domain = `${label}.${tld}`;
  for (let n = 2; taken.has(domain); n++) domain = `${label}${n}.${tld}`;
  taken.add(domain);
  return domain;
}

/** Names of the given customers, first occurrence kept, at most `limit`; repeats allowed only if there are too few customers. */
function uniqueNames(indexes: number[], names: string[], limit: number): string[] {
  const seen = new Set<number>();
  const picked: string[] = [];
  for (const index of indexes) {
    if (picked.length >= limit) break;
    const name = names[index];
    if (name === undefined || seen.has(index)) continue;
    seen.add(index);
    picked.push(name);
  }
  for (let k = 0; picked.length < limit && picked.length > 0 && k < limit; k++) picked.push(picked[k % picked.length]!);
  return picked;
}

function summary(random: Random, kind: Interaction['kind'], members: readonly Member[]): string {
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const topic = random.pick(topics);
  const outcome = random.pick(outcomes);
  switch (kind) {
    case 'call':
      return `Call with ${first} ${last} about ${topic}. ${outcome}`;
    case 'meeting':
      return `Meeting with ${first} ${last} and their team on ${topic}. ${outcome}`;
    case 'note':
      return `Note: ${first} mentioned ${topic}. ${outcome}`;
    case 'message':
      return `${first} ${last} in Slack: "Can we talk about ${topic}?" ${outcome}`;
    case 'email':
      return `Re: ${topic}`;
    case 'owner_change':
      return `Owner changed from ${random.pick(members).name} to ${random.pick(members).name}.`;
  }
}

// --- Run alone -------------------------------------------------------------

if (import.meta.main) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      scale: { type: 'string', default: process.env.BENCH_SCALE ?? '1' },
      seed: { type: 'string' },
      'validate-all': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
    },
  });
  if (!values.out) {
    console.error('usage: node tests/bench/dataset.ts --out DIR [--scale 0.01] [--seed S] [--validate-all] [--check]');
    process.exit(2);
  }
  const dataset = await generateDataset(values.out, sizeForScale(Number(values.scale)), {
    ...(values.seed ? { seed: values.seed } : {}),
    validateAll: values['validate-all'],
  });
  const { findNames, logNames, members, ...summaryOnly } = dataset;
  console.log(JSON.stringify({ ...summaryOnly, findNames: findNames.slice(0, 5), logNames: logNames.slice(0, 5) }, null, 2));
  if (values.check) {
    // The store's own reading of the files: the one check that matters.
    const { openLowdbStore } = await import('../../src/store/lowdb/open-lowdb-store.ts');
    const t = performance.now();
    const store = await openLowdbStore(values.out);
    const busiest = (await store.customers.byName(dataset.busiest.name))[0];
    const count = busiest ? await store.interactions.countByCustomer(busiest.id) : -1;
    console.log(`openLowdbStore: ${(performance.now() - t).toFixed(0)} ms; ${(await store.customers.list()).length} customers; busiest has ${count} interactions`);
    await store.close();
  }
}
