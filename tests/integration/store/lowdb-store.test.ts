import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/domain/customer.ts';
import type { Member } from '../../../src/domain/member.ts';
import { ConflictError, GuanxiError, StoreInvalidError, StoreLockedError } from '../../../src/errors.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { storeContract } from '../../contract/store-contract.ts';

storeContract('lowdb', async () => {
  const root = await mkdtemp(join(tmpdir(), 'guanxi-lowdb-'));
  const opened: Store[] = [];
  const open = async () => {
    // From any size, so that a reopened store reads its interactions as lines, as a large one does.
    const store = await openLowdbStore(join(root, 'data'), { scanFromBytes: 0 });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    async cleanup() {
      for (const store of opened) await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

const acme: Customer = {
  id: 'cus_acme',
  name: 'Acme',
  domains: ['acme.com'],
  ownerId: 'U1',
  createdAt: '2025-01-01T00:00:00Z',
  createdBy: 'U1',
};

const ana: Member = {
  id: 'U1',
  name: 'Ana',
  email: 'ana@ours.com',
  tz: null,
  role: 'rep',
  managerId: null,
  createdAt: '2025-01-01T00:00:00Z',
  profileCheckedAt: null,
};

describe('lowdb store', () => {
  let root: string;
  let dir: string;
  const stores: Store[] = [];

  const open = async () => {
    const store = await openLowdbStore(dir);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'guanxi-lowdb-'));
    dir = join(root, 'data');
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('files', () => {
    it('creates a missing data folder and starts with empty collections, without writing any file', async () => {
      const store = await open();

      expect(store.kind).toBe('lowdb');
      expect(await store.customers.list()).toEqual([]);
      expect(await readdir(dir)).toEqual(['guanxi.lock']);
    });

    it('has a write on disk, in that collection’s own journal, once its promise resolves', async () => {
      const store = await open();

      await store.customers.insert(acme);
      await store.members.put(ana);

      expect(await readFile(join(dir, 'customers.journal'), 'utf8')).toBe(`{"put":${JSON.stringify(acme)}}\n`);
      expect(await readFile(join(dir, 'members.journal'), 'utf8')).toBe(`{"put":${JSON.stringify(ana)}}\n`);
      expect((await readdir(dir)).sort()).toEqual(['customers.journal', 'guanxi.lock', 'members.journal']);
    });

    it('folds the journals into readable snapshots at close: a JSON array, one record per line', async () => {
      const store = await open();
      const beta = { ...acme, id: 'cus_beta', name: 'Beta', domains: ['beta.com'] };
      await store.customers.insert(acme);
      await store.customers.insert(beta);
      await store.members.put(ana);

      await store.close();

      const text = await readFile(join(dir, 'customers.json'), 'utf8');
      expect(text.split('\n')).toEqual(['[', `  ${JSON.stringify(acme)},`, `  ${JSON.stringify(beta)}`, ']', '']);
      expect(JSON.parse(await readFile(join(dir, 'members.json'), 'utf8'))).toEqual([ana]);
      expect((await readdir(dir)).sort()).toEqual(['customers.json', 'members.json']);
    });

    it('has each of many concurrent writes on disk when its own promise resolves', async () => {
      const store = await open();
      const path = join(dir, 'deliveries.journal');
      // Read synchronously the moment each promise resolves, before any later write can land.
      const onDiskWhenResolved = (key: string) => () => readFileSync(path, 'utf8').includes(`"${key}"`);

      const seen = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          store.deliveries.firstSeen(`ev${n}`, new Date('2025-03-10T09:00:00Z')).then(onDiskWhenResolved(`ev${n}`)),
        ),
      );

      expect(seen).toEqual(Array.from({ length: 30 }, () => true));
      expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(30);
    });

    it('reads records that were written by hand, pretty-printed', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'customers.json'), JSON.stringify([acme], null, 2));

      const store = await open();

      expect(await store.customers.byDomain('acme.com')).toEqual(acme);
    });

    it('writes addresses lower-cased, so the file matches what lookups use', async () => {
      const store = await open();

      await store.customers.insert({ ...acme, domains: ['ACME.com'] });
      await store.close();

      expect(JSON.parse(await readFile(join(dir, 'customers.json'), 'utf8'))).toEqual([acme]);
    });
  });

  describe('refused writes', () => {
    it('leaves memory and the file as they were when an insert conflicts', async () => {
      const store = await open();
      await store.customers.insert(acme);
      const before = await readFile(join(dir, 'customers.journal'), 'utf8');

      await expect(store.customers.insert({ ...acme, id: 'cus_copy', name: 'Copy' })).rejects.toBeInstanceOf(ConflictError);

      expect(await readFile(join(dir, 'customers.journal'), 'utf8')).toBe(before);
      expect(await store.customers.get('cus_copy')).toBeNull();
    });

    it('refuses an invalid record as a programming error naming the field, and writes nothing', async () => {
      const store = await open();

      const error = await store.customers.insert({ ...acme, domains: ['not a domain'] }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(GuanxiError);
      expect((error as Error).message).toContain('customer cus_acme: domains.0: a domain such as acme.com');
      expect(await store.customers.get('cus_acme')).toBeNull();
      expect(await readdir(dir)).toEqual(['guanxi.lock']);
    });

    it('refuses writes after close', async () => {
      const store = await open();
      await store.close();

      await expect(store.customers.insert(acme)).rejects.toThrow('The store is closed');
    });
  });

  describe('invalid files', () => {
    it('reports a hand-edited record with its file, position, id and field, and leaves the file untouched', async () => {
      await mkdir(dir, { recursive: true });
      const path = join(dir, 'customers.json');
      const text = JSON.stringify([acme, { ...acme, id: 'cus_bad', domains: ['Bad.com'], createdAt: 'yesterday' }], null, 2);
      await writeFile(path, text);

      const error = await open().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(StoreInvalidError);
      expect((error as StoreInvalidError).problems).toEqual([
        `${path} record 1 (id cus_bad): domains.0: a domain such as acme.com`,
        `${path} record 1 (id cus_bad): createdAt: Invalid ISO datetime`,
      ]);
      expect((error as StoreInvalidError).message).toContain(`${path} record 1 (id cus_bad): domains.0`);
      expect(await readFile(path, 'utf8')).toBe(text);
    });

    it('opens once the record is fixed: a refused open leaves no lock behind', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'reminders.json'), '[{"id": "rem_1"}]');
      await expect(open()).rejects.toBeInstanceOf(StoreInvalidError);

      await writeFile(join(dir, 'reminders.json'), '[]');
      const store = await open();

      expect(await store.reminders.get('rem_1')).toBeNull();
    });

    it('reports a file that is not JSON, and one that is not an array, by name', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'interactions.json'), '[{"id": "int_1",');
      await writeFile(join(dir, 'members.json'), '{"U1": {}}');

      const error = await open().catch((e: unknown) => e);

      const problems = (error as StoreInvalidError).problems;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(new RegExp(`^${escape(join(dir, 'interactions.json'))}: not valid JSON`));
      expect(problems[1]).toBe(`${join(dir, 'members.json')}: should hold a JSON array of records, [ ... ], but holds an object`);
    });

    it('reports two records with one id, and two customers claiming one domain', async () => {
      await mkdir(dir, { recursive: true });
      const path = join(dir, 'customers.json');
      await writeFile(path, JSON.stringify([acme, { ...acme, name: 'Twin' }, { ...acme, id: 'cus_rival', domains: ['rival.com', 'acme.com'] }]));

      const error = await open().catch((e: unknown) => e);

      expect((error as StoreInvalidError).problems).toEqual([
        `${path} record 1 (id cus_acme): the id is already used by record 0`,
        `${path} record 2 (id cus_rival): domain acme.com is already used by record 0 (id cus_acme)`,
      ]);
    });

    it('lists the first problems of a badly broken file and counts the rest', async () => {
      await mkdir(dir, { recursive: true });
      const path = join(dir, 'deliveries.json');
      await writeFile(path, JSON.stringify(Array.from({ length: 25 }, (_, n) => ({ id: `ev${n}` }))));

      const error = await open().catch((e: unknown) => e);

      const problems = (error as StoreInvalidError).problems;
      expect(problems).toHaveLength(21);
      expect(problems[0]).toBe(`${path} record 0 (id ev0): seenAt: Invalid input: expected string, received undefined`);
      expect(problems[20]).toBe(`${path}: 5 more problem(s) not listed`);
    });
  });

  describe('lock', () => {
    it('refuses a second open of the folder while the first is open, saying which process and what to do', async () => {
      await open();

      const error = await openLowdbStore(dir).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(StoreLockedError);
      const message = (error as StoreLockedError).message;
      expect(message).toContain(`Another guanxi process (pid ${process.pid}`);
      expect(message).toContain(`is using the data folder ${dir}`);
      expect(message).toContain('Stop that process, or point DATA_DIR at another folder.');
    });

    it('opens the folder again once the first store is closed, which removed its lock', async () => {
      const first = await open();
      await first.customers.insert(acme);
      await first.close();
      expect(await readdir(dir)).toEqual(['customers.json']);

      const second = await open();

      expect(await second.customers.get('cus_acme')).toEqual(acme);
    });

    it('takes over a lock left by a process that no longer runs', async () => {
      await mkdir(dir, { recursive: true });
      const lockPath = join(dir, 'guanxi.lock');
      await writeFile(lockPath, JSON.stringify({ pid: 2147483646, startedAt: '2025-01-01T00:00:00Z', token: 'crashed' }));

      await open();

      expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    });

    it('refuses a lock file it cannot read, saying how to remove it', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'guanxi.lock'), 'garbage');

      const error = await openLowdbStore(dir).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(StoreLockedError);
      expect((error as Error).message).toContain(`delete ${join(dir, 'guanxi.lock')}`);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
