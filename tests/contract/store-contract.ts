import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Block } from '../../src/domain/block.ts';
import type { Case } from '../../src/domain/case.ts';
import type { ChannelLink } from '../../src/domain/channel-link.ts';
import type { Contact } from '../../src/domain/contact.ts';
import type { Customer } from '../../src/domain/customer.ts';
import type { Deal } from '../../src/domain/deal.ts';
import { notAMessage, type Interaction } from '../../src/domain/interaction.ts';
import type { JobRun } from '../../src/domain/job-run.ts';
import type { Mailbox } from '../../src/domain/mailbox.ts';
import type { Member } from '../../src/domain/member.ts';
import type { Poll } from '../../src/domain/poll.ts';
import type { Reminder } from '../../src/domain/reminder.ts';
import type { Suggestion } from '../../src/domain/suggestion.ts';
import { ConflictError, NotFoundError } from '../../src/errors.ts';
import { collectionNames, type CollectionName, type Store } from '../../src/store/store.ts';

/** One empty store to test, and a way to open it again over the same data. */
export interface StoreHarness {
  readonly store: Store;
  /** Opens another Store over the same data; the test has closed the previous one. */
  reopen(): Promise<Store>;
  /** Closes whatever is still open and deletes the data. */
  cleanup(): Promise<void>;
}

/**
 * The behaviour every Store implementation shares. An implementation's test
 * file calls this with a function that sets up a fresh, empty store.
 */
export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    describe('customers', () => {
      it('gives back a customer as it was written, and null for an unknown id', async () => {
        const acme = customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com', 'acme.io'], ownerId: 'U1' });
        await store.customers.insert(acme);

        expect(await store.customers.get('cus_acme')).toEqual(acme);
        expect(await store.customers.get('cus_nobody')).toBeNull();
      });

      it('refuses a second customer with the same id and keeps the first', async () => {
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme' }));

        await expect(store.customers.insert(customer({ id: 'cus_acme', name: 'Impostor' }))).rejects.toBeInstanceOf(ConflictError);
        expect((await store.customers.get('cus_acme'))?.name).toBe('Acme');
      });

      it('refuses a domain that another customer owns, whatever its case, and stores nothing', async () => {
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'] }));

        await expect(
          store.customers.insert(customer({ id: 'cus_copy', name: 'Copycat', domains: ['copycat.com', 'ACME.com'] })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.customers.get('cus_copy')).toBeNull();
        expect(await store.customers.byDomain('copycat.com')).toBeNull();
        expect((await store.customers.byDomain('acme.com'))?.id).toBe('cus_acme');
      });

      it('lets two concurrent inserts of one domain through only once', async () => {
        const results = await Promise.allSettled([
          store.customers.insert(customer({ id: 'cus_one', name: 'One', domains: ['shared.com'] })),
          store.customers.insert(customer({ id: 'cus_two', name: 'Two', domains: ['shared.com'] })),
        ]);

        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((result) => result.status === 'rejected');
        expect(rejected?.reason).toBeInstanceOf(ConflictError);
      });

      it('finds a customer by domain ignoring case and surrounding space', async () => {
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'] }));

        expect((await store.customers.byDomain('  ACME.Com '))?.name).toBe('Acme');
        expect(await store.customers.byDomain('acme.co')).toBeNull();
      });

      it('updates a customer: its new domains find it, its old ones no longer do', async () => {
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'] }));

        const renamed = customer({ id: 'cus_acme', name: 'Acme Group', domains: ['acmegroup.com'], ownerId: 'U2' });
        await store.customers.update(renamed);

        expect(await store.customers.get('cus_acme')).toEqual(renamed);
        expect((await store.customers.byDomain('acmegroup.com'))?.id).toBe('cus_acme');
        expect(await store.customers.byDomain('acme.com')).toBeNull();
        expect(await store.customers.byName('acme')).toEqual([]);
        expect((await store.customers.byName('acme group')).map((c) => c.id)).toEqual(['cus_acme']);
      });

      it('lets an update keep its own domains but not take another customer’s', async () => {
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'] }));
        await store.customers.insert(customer({ id: 'cus_beta', name: 'Beta', domains: ['beta.com'] }));

        await store.customers.update(customer({ id: 'cus_acme', name: 'Acme Inc', domains: ['acme.com', 'acme.io'] }));
        await expect(
          store.customers.update(customer({ id: 'cus_beta', name: 'Beta', domains: ['beta.com', 'Acme.io'] })),
        ).rejects.toBeInstanceOf(ConflictError);

        expect((await store.customers.get('cus_beta'))?.domains).toEqual(['beta.com']);
        expect((await store.customers.byDomain('acme.io'))?.id).toBe('cus_acme');
      });

      it('refuses to update a customer that does not exist, and creates nothing', async () => {
        await expect(store.customers.update(customer({ id: 'cus_ghost', name: 'Ghost', domains: ['ghost.com'] }))).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await store.customers.get('cus_ghost')).toBeNull();
        expect(await store.customers.byDomain('ghost.com')).toBeNull();
      });

      it('finds every customer with a name, ignoring case and surrounding space', async () => {
        await store.customers.insert(customer({ id: 'cus_a', name: 'Acme' }));
        await store.customers.insert(customer({ id: 'cus_b', name: 'ACME' }));
        await store.customers.insert(customer({ id: 'cus_c', name: 'Acme Robotics' }));

        const found = await store.customers.byName('  acme ');

        expect(found.map((c) => c.id).sort()).toEqual(['cus_a', 'cus_b']);
        expect(await store.customers.byName('acm')).toEqual([]);
      });

      it('searches names and domains ignoring case: exact matches first, then prefixes, then the rest', async () => {
        await store.customers.insert(customer({ id: 'cus_big', name: 'Big Acme', domains: ['bigacme.com'] }));
        await store.customers.insert(customer({ id: 'cus_rob', name: 'Acme Robotics', domains: ['acmerobotics.io'] }));
        await store.customers.insert(customer({ id: 'cus_other', name: 'Zeta', domains: ['notacme.net'] }));
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'] }));
        await store.customers.insert(customer({ id: 'cus_none', name: 'Beta', domains: ['beta.com'] }));

        const ids = async (text: string, limit: number) => (await store.customers.search(text, limit)).map((c) => c.id);

        expect(await ids('ACME', 10)).toEqual(['cus_acme', 'cus_rob', 'cus_big', 'cus_other']);
        expect(await ids('acme', 2)).toEqual(['cus_acme', 'cus_rob']);
        expect(await ids('acme.com', 10)).toEqual(['cus_acme', 'cus_big']);
        expect(await ids('nothing like it', 10)).toEqual([]);
      });

      it('searches for %, _ and \\ as themselves', async () => {
        await store.customers.insert(customer({ id: 'cus_pct', name: '100% Juice' }));
        await store.customers.insert(customer({ id: 'cus_plain', name: '1000 Juices' }));
        await store.customers.insert(customer({ id: 'cus_under', name: 'a_b Labs' }));
        await store.customers.insert(customer({ id: 'cus_axb', name: 'axb Labs' }));
        await store.customers.insert(customer({ id: 'cus_slash', name: 'Back\\slash' }));
        await store.contacts.insert(contact({ id: 'con_pct', email: 'x_y@acme.com', name: '50% Off' }));
        await store.contacts.insert(contact({ id: 'con_plain', email: 'xay@acme.com', name: '500 Off' }));

        const ids = async (text: string) => (await store.customers.search(text, 10)).map((c) => c.id);

        expect(await ids('100%')).toEqual(['cus_pct']);
        expect(await ids('a_b')).toEqual(['cus_under']);
        expect(await ids('k\\s')).toEqual(['cus_slash']);
        expect((await store.contacts.search('x_y', 10)).map((c) => c.id)).toEqual(['con_pct']);
        expect((await store.contacts.search('50%', 10)).map((c) => c.id)).toEqual(['con_pct']);
      });

      it('lists every customer by name, ignoring case', async () => {
        await store.customers.insert(customer({ id: 'cus_c', name: 'cobalt' }));
        await store.customers.insert(customer({ id: 'cus_a', name: 'Acme' }));
        await store.customers.insert(customer({ id: 'cus_b', name: 'beta' }));

        expect((await store.customers.list()).map((c) => c.name)).toEqual(['Acme', 'beta', 'cobalt']);
      });

      it('keeps the list by name through additions, renames and merges after it was first read', async () => {
        await store.customers.insert(customer({ id: 'cus_c', name: 'cobalt' }));
        await store.customers.insert(customer({ id: 'cus_a', name: 'Acme' }));
        expect((await store.customers.list()).map((c) => c.name)).toEqual(['Acme', 'cobalt']);

        await store.customers.insert(customer({ id: 'cus_b', name: 'beta' }));
        await store.customers.insert(customer({ id: 'cus_b2', name: 'beta' }));
        await store.customers.update(customer({ id: 'cus_a', name: 'Zenith' }));
        await store.customers.markMerged('cus_c', 'cus_b');

        expect((await store.customers.list()).map((c) => c.id)).toEqual(['cus_b', 'cus_b2', 'cus_a']);
      });

      it('lists the customers a member owns, by name', async () => {
        await store.customers.insert(customer({ id: 'cus_z', name: 'Zeta', ownerId: 'U1' }));
        await store.customers.insert(customer({ id: 'cus_a', name: 'Acme', ownerId: 'U1' }));
        await store.customers.insert(customer({ id: 'cus_b', name: 'Beta', ownerId: 'U2' }));
        await store.customers.insert(customer({ id: 'cus_n', name: 'Nobody’s' }));

        expect((await store.customers.ownedBy('U1')).map((c) => c.id)).toEqual(['cus_a', 'cus_z']);
        expect(await store.customers.ownedBy('U9')).toEqual([]);
      });
    });

    describe('contacts', () => {
      it('gives back a contact as written, by id and by address in any case', async () => {
        const jane = contact({ id: 'con_jane', email: 'jane@acme.com', name: 'Jane Doe', customerId: 'cus_acme' });
        await store.contacts.insert(jane);

        expect(await store.contacts.get('con_jane')).toEqual(jane);
        expect(await store.contacts.byEmail(' Jane@ACME.com ')).toEqual(jane);
        expect(await store.contacts.byEmail('john@acme.com')).toBeNull();
        expect(await store.contacts.get('con_nobody')).toBeNull();
      });

      it('refuses an address that is already a contact, whatever its case, and a reused id', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com' }));

        await expect(store.contacts.insert(contact({ id: 'con_twin', email: 'JANE@acme.com' }))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.contacts.insert(contact({ id: 'con_jane', email: 'other@acme.com' }))).rejects.toBeInstanceOf(ConflictError);
        expect(await store.contacts.get('con_twin')).toBeNull();
        expect(await store.contacts.byEmail('other@acme.com')).toBeNull();
      });

      it('updates a contact: a new address finds it, and another contact’s address is refused', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com' }));
        await store.contacts.insert(contact({ id: 'con_john', email: 'john@acme.com' }));

        await store.contacts.update(contact({ id: 'con_jane', email: 'jane.doe@acme.com', name: 'Jane' }));
        await expect(store.contacts.update(contact({ id: 'con_john', email: 'Jane.Doe@acme.com' }))).rejects.toBeInstanceOf(ConflictError);

        expect((await store.contacts.byEmail('jane.doe@acme.com'))?.id).toBe('con_jane');
        expect(await store.contacts.byEmail('jane@acme.com')).toBeNull();
        expect((await store.contacts.get('con_john'))?.email).toBe('john@acme.com');
      });

      it('keeps a contact’s care fields, and drops one that is cleared', async () => {
        const jane = contact({
          id: 'con_jane',
          email: 'jane@acme.com',
          optedOut: { at: '2025-03-01T09:00:00Z', by: 'U1' },
          preferredHours: { from: '14:00', to: '17:30', tz: 'Europe/Paris' },
          birthday: '1984-03-21',
        });
        await store.contacts.insert(jane);
        expect(await store.contacts.get('con_jane')).toEqual(jane);

        const { optedOut: _, ...optedIn } = jane;
        await store.contacts.update(optedIn);
        expect(await store.contacts.byEmail('jane@acme.com')).toEqual(optedIn);
      });

      it('refuses to update a contact that does not exist', async () => {
        await expect(store.contacts.update(contact({ id: 'con_ghost', email: 'ghost@acme.com' }))).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.contacts.byEmail('ghost@acme.com')).toBeNull();
      });

      it('lists a customer’s contacts, following a contact that moves to another customer', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com', customerId: 'cus_acme' }));
        await store.contacts.insert(contact({ id: 'con_john', email: 'john@acme.com', customerId: 'cus_acme' }));
        await store.contacts.insert(contact({ id: 'con_lone', email: 'lone@gmail.com', customerId: null }));

        await store.contacts.update(contact({ id: 'con_john', email: 'john@acme.com', customerId: 'cus_beta' }));

        expect((await store.contacts.byCustomer('cus_acme')).map((c) => c.id)).toEqual(['con_jane']);
        expect((await store.contacts.byCustomer('cus_beta')).map((c) => c.id)).toEqual(['con_john']);
        expect(await store.contacts.byCustomer('cus_none')).toEqual([]);
      });

      it('lists a customer’s contacts oldest first, including those moved from another customer', async () => {
        await store.contacts.insert(contact({ id: 'con_late', email: 'late@acme.com', customerId: 'cus_acme', createdAt: '2025-03-01T09:00:00.500Z' }));
        await store.contacts.insert(contact({ id: 'con_feb', email: 'feb@acme.com', customerId: 'cus_acme', createdAt: '2025-02-01T09:00:00Z' }));
        await store.contacts.insert(contact({ id: 'con_first', email: 'first@beta.com', customerId: 'cus_beta', createdAt: '2024-06-01T09:00:00Z' }));
        await store.contacts.insert(contact({ id: 'con_noon', email: 'noon@acme.com', customerId: 'cus_acme', createdAt: '2025-03-01T09:00:00Z' }));

        await store.contacts.moveCustomer('cus_beta', 'cus_acme');

        const ids = async (s: Store) => (await s.contacts.byCustomer('cus_acme')).map((c) => c.id);
        expect(await ids(store)).toEqual(['con_first', 'con_feb', 'con_noon', 'con_late']);
        await store.close();
        expect(await ids(await harness.reopen())).toEqual(['con_first', 'con_feb', 'con_noon', 'con_late']);
      });

      it('removes a contact: gone by id, by address and from its customer, its address free again, and gone after reopen', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com', name: 'Jane Doe', customerId: 'cus_acme' }));
        await store.contacts.insert(contact({ id: 'con_john', email: 'john@acme.com', customerId: 'cus_acme' }));

        expect(await store.contacts.remove('con_jane')).toBe(true);
        expect(await store.contacts.remove('con_jane')).toBe(false);
        expect(await store.contacts.remove('con_nobody')).toBe(false);

        expect(await store.contacts.get('con_jane')).toBeNull();
        expect(await store.contacts.byEmail('jane@acme.com')).toBeNull();
        expect(await store.contacts.search('jane', 10)).toEqual([]);
        expect((await store.contacts.byCustomer('cus_acme')).map((c) => c.id)).toEqual(['con_john']);
        await store.contacts.insert(contact({ id: 'con_jane2', email: 'jane@acme.com' }));
        await store.close();

        const again = await harness.reopen();
        expect(await again.contacts.get('con_jane')).toBeNull();
        expect((await again.contacts.byEmail('jane@acme.com'))?.id).toBe('con_jane2');
        expect((await again.contacts.byCustomer('cus_acme')).map((c) => c.id)).toEqual(['con_john']);
      });

      it('searches names and addresses ignoring case, up to the limit', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com', name: 'Jane Doe' }));
        await store.contacts.insert(contact({ id: 'con_john', email: 'john@beta.com', name: 'John Roe' }));
        await store.contacts.insert(contact({ id: 'con_anon', email: 'sales@acme.com', name: null }));

        const ids = async (text: string, limit = 10) => (await store.contacts.search(text, limit)).map((c) => c.id).sort();

        expect(await ids('DOE')).toEqual(['con_jane']);
        expect(await ids('@acme.com')).toEqual(['con_anon', 'con_jane']);
        expect(await ids('j')).toEqual(['con_jane', 'con_john']);
        expect(await ids('acme', 1)).toHaveLength(1);
        expect(await ids('zzz')).toEqual([]);
      });
    });

    describe('interactions', () => {
      it('gives back an interaction as written, and refuses a reused id', async () => {
        const call = interaction({ id: 'int_1', customerId: 'cus_acme', summary: 'Called Jane about renewal' });
        await store.interactions.insert(call);

        expect(await store.interactions.get('int_1')).toEqual(call);
        expect(await store.interactions.get('int_none')).toBeNull();
        await expect(store.interactions.insert({ ...call, summary: 'again' })).rejects.toBeInstanceOf(ConflictError);
        expect((await store.interactions.get('int_1'))?.summary).toBe('Called Jane about renewal');
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(1);
      });

      it('lists a customer’s timeline newest first, by when it happened, then when it was logged', async () => {
        await store.interactions.insert(interaction({ id: 'int_mid', occurredAt: '2025-03-02T10:00:00Z', loggedAt: '2025-03-02T11:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_new', occurredAt: '2025-03-03T10:00:00Z', loggedAt: '2025-03-03T10:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_old', occurredAt: '2025-03-01T10:00:00Z', loggedAt: '2025-03-05T10:00:00Z' }));
        // Same moment as int_mid, logged later: it reads as newer.
        await store.interactions.insert(interaction({ id: 'int_mid2', occurredAt: '2025-03-02T10:00:00.000Z', loggedAt: '2025-03-02T12:00:00Z' }));
        // Half a second after int_new: fractional seconds order correctly.
        await store.interactions.insert(interaction({ id: 'int_newest', occurredAt: '2025-03-03T10:00:00.500Z', loggedAt: '2025-03-03T10:00:01Z' }));
        await store.interactions.insert(interaction({ id: 'int_elsewhere', customerId: 'cus_beta' }));

        const ids = async (limit: number) => (await store.interactions.byCustomer('cus_acme', limit)).map((i) => i.id);

        expect(await ids(10)).toEqual(['int_newest', 'int_new', 'int_mid2', 'int_mid', 'int_old']);
        expect(await ids(2)).toEqual(['int_newest', 'int_new']);
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(5);
        expect(await store.interactions.countByCustomer('cus_beta')).toBe(1);
        expect(await store.interactions.countByCustomer('cus_none')).toBe(0);
        expect(await store.interactions.byCustomer('cus_none', 10)).toEqual([]);
      });

      it('gives the recent interactions of several customers, newest first, unlinked ones left out', async () => {
        for (let day = 1; day <= 20; day++) {
          const at = `2025-03-${String(day).padStart(2, '0')}T10:00:00Z`;
          await store.interactions.insert(interaction({ id: `int_acme_${day}`, occurredAt: at, loggedAt: at }));
        }
        await store.interactions.insert(interaction({ id: 'int_beta', customerId: 'cus_beta', occurredAt: '2025-03-18T12:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_beta_old', customerId: 'cus_beta', occurredAt: '2025-02-01T12:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_gamma', customerId: 'cus_gamma', occurredAt: '2025-03-19T12:00:00Z' }));
        await store.interactions.insertMessages([mail({ id: 'int_gone', occurredAt: '2025-03-20T12:00:00Z', unlinkedAt: '2025-03-20T13:00:00Z', unlinkedBy: 'U1' })]);

        const recent = await store.interactions.recentByCustomers(['cus_acme', 'cus_beta', 'cus_acme', 'cus_none'], new Date('2025-03-17T10:00:00Z'));
        expect(recent.map((i) => i.id)).toEqual(['int_acme_20', 'int_acme_19', 'int_beta', 'int_acme_18', 'int_acme_17']);
        expect((await store.interactions.recentByCustomers(['cus_acme'], new Date('2025-01-01T00:00:00Z'))).length).toBe(20);
        expect(await store.interactions.recentByCustomers([], new Date('2025-01-01T00:00:00Z'))).toEqual([]);
      });

      it('counts every customer’s linked interactions at once', async () => {
        await store.interactions.insert(interaction({ id: 'int_a1' }));
        await store.interactions.insert(interaction({ id: 'int_a2', occurredAt: '2025-03-02T10:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_b1', customerId: 'cus_beta' }));
        await store.interactions.insertMessages([mail({ id: 'int_gone', customerId: 'cus_gamma', unlinkedAt: '2025-03-02T00:00:00Z', unlinkedBy: 'U1' })]);

        expect(await store.interactions.countsByCustomer()).toEqual(new Map([['cus_acme', 2], ['cus_beta', 1]]));
        const a2 = await store.interactions.get('int_a2');
        if (!a2) throw new Error('int_a2 was not stored');
        await store.interactions.update({ ...a2, unlinkedAt: '2025-03-03T00:00:00Z', unlinkedBy: 'U1' });
        expect(await store.interactions.countsByCustomer()).toEqual(new Map([['cus_acme', 1], ['cus_beta', 1]]));
      });

      it('leaves an unlinked interaction off the timeline and out of the count, but still gives it by id', async () => {
        await store.interactions.insert(interaction({ id: 'int_kept', occurredAt: '2025-03-01T10:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_gone', occurredAt: '2025-03-02T10:00:00Z' }));
        const gone = await store.interactions.get('int_gone');
        if (!gone) throw new Error('int_gone should exist');

        const unlinked = { ...gone, unlinkedAt: '2025-03-03T09:00:00Z', unlinkedBy: 'U2' };
        await store.interactions.update(unlinked);

        expect((await store.interactions.byCustomer('cus_acme', 10)).map((i) => i.id)).toEqual(['int_kept']);
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(1);
        expect(await store.interactions.get('int_gone')).toEqual(unlinked);
      });

      it('updates an interaction: a new customer’s timeline gets it, a new time moves it; a missing id is NotFoundError', async () => {
        await store.interactions.insert(interaction({ id: 'int_a', occurredAt: '2025-03-01T10:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_b', occurredAt: '2025-03-02T10:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_c', occurredAt: '2025-03-03T10:00:00Z' }));

        await store.interactions.update(interaction({ id: 'int_a', occurredAt: '2025-03-04T10:00:00Z', summary: 'moved later' }));
        await store.interactions.update(interaction({ id: 'int_b', customerId: 'cus_beta' }));

        expect((await store.interactions.byCustomer('cus_acme', 10)).map((i) => i.id)).toEqual(['int_a', 'int_c']);
        expect((await store.interactions.get('int_a'))?.summary).toBe('moved later');
        expect((await store.interactions.byCustomer('cus_beta', 10)).map((i) => i.id)).toEqual(['int_b']);
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(2);
        await expect(store.interactions.update(interaction({ id: 'int_ghost' }))).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.interactions.get('int_ghost')).toBeNull();
      });

      it('finds every interaction of a message id, on every customer, unlinked ones too', async () => {
        await store.interactions.insert(mail({ id: 'int_1', customerId: 'cus_acme', messageId: 'abc@mail.acme.com' }));
        await store.interactions.insert(mail({ id: 'int_2', customerId: 'cus_beta', messageId: 'abc@mail.acme.com', unlinkedAt: '2025-03-02T00:00:00Z', unlinkedBy: 'U1' }));
        await store.interactions.insert(mail({ id: 'int_3', customerId: 'cus_acme', messageId: 'other@mail.acme.com' }));
        await store.interactions.insert(interaction({ id: 'int_call' }));

        expect((await store.interactions.byMessageId('abc@mail.acme.com')).map((i) => i.id).sort()).toEqual(['int_1', 'int_2']);
        expect(await store.interactions.byMessageId('nothing@nowhere.com')).toEqual([]);
      });

      it('follows an interaction’s message id through an update', async () => {
        await store.interactions.insert(mail({ id: 'int_1', messageId: 'old@mail.acme.com' }));

        await store.interactions.update(mail({ id: 'int_1', messageId: 'new@mail.acme.com' }));

        expect(await store.interactions.byMessageId('old@mail.acme.com')).toEqual([]);
        expect((await store.interactions.byMessageId('new@mail.acme.com')).map((i) => i.id)).toEqual(['int_1']);
      });
    });

    describe('interactions: logging messages once', () => {
      it('inserts the messages not yet on their customer’s timeline and returns them', async () => {
        const first = [mail({ id: 'int_1', messageId: 'm1@acme.com' }), mail({ id: 'int_2', messageId: 'm2@acme.com' })];

        expect(await store.interactions.insertMessages(first)).toEqual(first);
        expect(await store.interactions.get('int_1')).toEqual(first[0]);

        const again = [mail({ id: 'int_3', messageId: 'm1@acme.com' }), mail({ id: 'int_4', messageId: 'm3@acme.com' })];
        expect((await store.interactions.insertMessages(again)).map((i) => i.id)).toEqual(['int_4']);
        expect(await store.interactions.get('int_3')).toBeNull();
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(3);
        expect(await store.interactions.insertMessages([])).toEqual([]);
      });

      it('logs one message on each customer it concerns, once per customer', async () => {
        const inserted = await store.interactions.insertMessages([
          mail({ id: 'int_acme', customerId: 'cus_acme', messageId: 'm1@acme.com' }),
          mail({ id: 'int_beta', customerId: 'cus_beta', messageId: 'm1@acme.com' }),
          mail({ id: 'int_twice', customerId: 'cus_beta', messageId: 'm1@acme.com' }),
        ]);

        expect(inserted.map((i) => i.id)).toEqual(['int_acme', 'int_beta']);
        expect(await store.interactions.get('int_twice')).toBeNull();
        expect((await store.interactions.byMessageId('m1@acme.com')).map((i) => i.id).sort()).toEqual(['int_acme', 'int_beta']);
      });

      it('knows a message without a Message-ID by its provider and provider id', async () => {
        const slack = (id: string, provider: 'slack' | 'gmail', providerId: string) =>
          mail({ id, messageId: null, source: { provider, mailbox: 'C0ACME', providerId, messageId: null, threadId: null } });
        await store.interactions.insertMessages([slack('int_1', 'slack', '1741600000.000100')]);

        const inserted = await store.interactions.insertMessages([
          slack('int_2', 'slack', '1741600000.000100'),
          slack('int_3', 'slack', '1741600000.000200'),
          slack('int_4', 'gmail', '1741600000.000100'),
        ]);

        expect(inserted.map((i) => i.id)).toEqual(['int_3', 'int_4']);
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(3);
      });

      it('does not log again a message whose interaction a rep unlinked', async () => {
        const [logged] = await store.interactions.insertMessages([mail({ id: 'int_1', messageId: 'm1@acme.com' })]);
        if (!logged) throw new Error('int_1 should be logged');
        await store.interactions.update({ ...logged, unlinkedAt: '2025-03-02T00:00:00Z', unlinkedBy: 'U1' });

        expect(await store.interactions.insertMessages([mail({ id: 'int_2', messageId: 'm1@acme.com' })])).toEqual([]);
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(0);
      });

      it('knows messages logged one at a time with insert', async () => {
        await store.interactions.insert(mail({ id: 'int_1', messageId: 'm1@acme.com' }));

        expect(await store.interactions.insertMessages([mail({ id: 'int_2', messageId: 'm1@acme.com' })])).toEqual([]);
      });

      it('inserts a message once when two calls bring it at the same time', async () => {
        const results = await Promise.all([
          store.interactions.insertMessages([mail({ id: 'int_a1', messageId: 'm1@acme.com' }), mail({ id: 'int_a2', messageId: 'm2@acme.com' })]),
          store.interactions.insertMessages([mail({ id: 'int_b1', messageId: 'm1@acme.com' })]),
          store.interactions.insertMessages([mail({ id: 'int_c2', messageId: 'm2@acme.com' }), mail({ id: 'int_c3', messageId: 'm3@acme.com' })]),
        ]);

        expect(results.flat()).toHaveLength(3);
        expect(await store.interactions.byMessageId('m1@acme.com')).toHaveLength(1);
        expect(await store.interactions.byMessageId('m2@acme.com')).toHaveLength(1);
        expect(await store.interactions.countByCustomer('cus_acme')).toBe(3);
      });

      it('refuses a new message under an id already used, and inserts none of the batch', async () => {
        await store.interactions.insert(interaction({ id: 'int_1' }));

        await expect(
          store.interactions.insertMessages([mail({ id: 'int_2', messageId: 'm2@acme.com' }), mail({ id: 'int_1', messageId: 'm1@acme.com' })]),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.interactions.get('int_2')).toBeNull();
        expect(await store.interactions.byMessageId('m2@acme.com')).toEqual([]);
      });
    });

    describe('reminders', () => {
      const now = new Date('2025-03-10T09:00:00Z');

      beforeEach(async () => {
        await store.reminders.insert(reminder({ id: 'rem_later', dueAt: '2025-03-10T09:00:00.001Z' }));
        await store.reminders.insert(reminder({ id: 'rem_now', dueAt: '2025-03-10T09:00:00Z' }));
        await store.reminders.insert(reminder({ id: 'rem_late', dueAt: '2025-03-09T09:00:00Z', ownerId: 'U2', customerId: 'cus_beta' }));
        await store.reminders.insert(
          reminder({ id: 'rem_sent', dueAt: '2025-03-08T09:00:00Z', deliveredAt: '2025-03-08T09:00:05Z' }),
        );
        await store.reminders.insert(
          reminder({ id: 'rem_done', dueAt: '2025-03-07T09:00:00Z', status: 'done', doneAt: '2025-03-07T10:00:00Z' }),
        );
      });

      it('finds the open, undelivered reminders due by now, soonest first', async () => {
        expect((await store.reminders.due(now)).map((r) => r.id)).toEqual(['rem_late', 'rem_now']);
        expect(await store.reminders.due(new Date('2025-03-01T00:00:00Z'))).toEqual([]);
      });

      it('lists a member’s and a customer’s open reminders, delivered or not, soonest first', async () => {
        expect((await store.reminders.openByOwner('U1')).map((r) => r.id)).toEqual(['rem_sent', 'rem_now', 'rem_later']);
        expect((await store.reminders.openByOwner('U2')).map((r) => r.id)).toEqual(['rem_late']);
        expect((await store.reminders.openByCustomer('cus_acme')).map((r) => r.id)).toEqual(['rem_sent', 'rem_now', 'rem_later']);
        expect(await store.reminders.openByCustomer('cus_none')).toEqual([]);
      });

      it('stops offering a reminder once it is delivered or done, and offers it again after a snooze', async () => {
        const late = await store.reminders.get('rem_late');
        if (!late) throw new Error('rem_late should exist');
        await store.reminders.update({ ...late, deliveredAt: '2025-03-10T09:00:01Z' });
        expect((await store.reminders.due(now)).map((r) => r.id)).toEqual(['rem_now']);

        await store.reminders.update({ ...late, dueAt: '2025-03-10T08:30:00Z', deliveredAt: null });
        expect((await store.reminders.due(now)).map((r) => r.id)).toEqual(['rem_late', 'rem_now']);

        await store.reminders.update({ ...late, status: 'done', doneAt: '2025-03-10T09:00:02Z' });
        expect((await store.reminders.due(now)).map((r) => r.id)).toEqual(['rem_now']);
        expect(await store.reminders.openByOwner('U2')).toEqual([]);
        expect((await store.reminders.get('rem_late'))?.status).toBe('done');
      });

      it('refuses a reused id and an update of a reminder that does not exist', async () => {
        await expect(store.reminders.insert(reminder({ id: 'rem_now', text: 'Other' }))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.reminders.update(reminder({ id: 'rem_ghost' }))).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.reminders.get('rem_ghost')).toBeNull();
        expect((await store.reminders.get('rem_now'))?.text).toBe('Call Jane back');
      });
    });

    describe('members', () => {
      it('puts a member, then replaces it by id', async () => {
        const rep = member({ id: 'U1', name: 'Ana', email: 'ana@ours.com', tz: null });
        await store.members.put(rep);
        expect(await store.members.get('U1')).toEqual(rep);

        const known = member({ id: 'U1', name: 'Ana Lima', email: 'ana@ours.com', tz: 'Europe/Paris' });
        await store.members.put(known);

        expect(await store.members.get('U1')).toEqual(known);
        expect(await store.members.list()).toEqual([known]);
        expect(await store.members.get('U9')).toBeNull();
      });

      it('lists every member', async () => {
        await store.members.put(member({ id: 'U2', name: 'Bruno' }));
        await store.members.put(member({ id: 'terminal:ana', name: 'Ana' }));

        expect((await store.members.list()).map((m) => m.id).sort()).toEqual(['U2', 'terminal:ana']);
      });
    });

    describe('deliveries', () => {
      it('says a delivery is new the first time only', async () => {
        const at = new Date('2025-03-10T09:00:00Z');

        expect(await store.deliveries.firstSeen('slack:Ev1', at)).toBe(true);
        expect(await store.deliveries.firstSeen('slack:Ev1', at)).toBe(false);
        expect(await store.deliveries.firstSeen('slack:Ev2', at)).toBe(true);
      });

      it('says new to exactly one of two concurrent deliveries of one key', async () => {
        const at = new Date('2025-03-10T09:00:00Z');
        const answers = await Promise.all([store.deliveries.firstSeen('slack:Ev1', at), store.deliveries.firstSeen('slack:Ev1', at)]);

        expect(answers.sort()).toEqual([false, true]);
      });

      it('forgets deliveries recorded before the cutoff, and only those', async () => {
        await store.deliveries.firstSeen('old', new Date('2025-03-01T00:00:00Z'));
        await store.deliveries.firstSeen('recent', new Date('2025-03-10T00:00:00Z'));

        expect(await store.deliveries.prune(new Date('2025-03-05T00:00:00Z'))).toBe(1);
        expect(await store.deliveries.prune(new Date('2025-03-05T00:00:00Z'))).toBe(0);
        expect(await store.deliveries.firstSeen('old', new Date('2025-03-11T00:00:00Z'))).toBe(true);
        expect(await store.deliveries.firstSeen('recent', new Date('2025-03-11T00:00:00Z'))).toBe(false);
      });
    });

    describe('suggestions', () => {
      it('gives back a suggestion by id and by domain, and null for unknown ones', async () => {
        const acme = suggestion({ id: 'sug_acme', domain: 'acme.com', people: [{ email: 'jane@acme.com', name: 'Jane' }], seenBy: ['U1'] });
        await store.suggestions.change('acme.com', () => acme);

        expect(await store.suggestions.get('sug_acme')).toEqual(acme);
        expect(await store.suggestions.byDomain('acme.com')).toEqual(acme);
        expect(await store.suggestions.get('sug_none')).toBeNull();
        expect(await store.suggestions.byDomain('beta.com')).toBeNull();
      });

      it('changes the suggestion of a domain as read: creates one, changes it, or leaves it be', async () => {
        const created = await store.suggestions.change('ACME.com', (known) => (known ? null : suggestion({ id: 'sug_acme', domain: 'acme.com' })));
        expect(created).toEqual(suggestion({ id: 'sug_acme', domain: 'acme.com' }));
        expect(await store.suggestions.byDomain('acme.com')).toEqual(created);

        const dismissed = await store.suggestions.change('acme.com', (known) => known && { ...known, status: 'dismissed', decidedAt: '2025-03-05T00:00:00Z', decidedBy: 'U1' });
        expect(dismissed).toMatchObject({ id: 'sug_acme', status: 'dismissed' });
        expect(await store.suggestions.change('acme.com', () => null)).toEqual(dismissed);
        expect(await store.suggestions.get('sug_acme')).toEqual(dismissed);
      });

      it('counts every one of many changes of one domain made at once', async () => {
        const seenOnce = (known: Suggestion | null) => suggestion({ id: known?.id ?? 'sug_acme', domain: 'acme.com', messageCount: (known?.messageCount ?? 0) + 1 });

        const results = await Promise.all(Array.from({ length: 12 }, () => store.suggestions.change('acme.com', seenOnce)));

        expect(results.map((result) => result?.messageCount).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect((await store.suggestions.byDomain('acme.com'))?.messageCount).toBe(12);
      });

      it('refuses a change that gives the domain another suggestion, or moves it to another domain', async () => {
        await store.suggestions.change('acme.com', () => suggestion({ id: 'sug_acme', domain: 'acme.com' }));

        await expect(store.suggestions.change('acme.com', () => suggestion({ id: 'sug_other', domain: 'acme.com' }))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.suggestions.change('acme.com', (known) => known && { ...known, domain: 'acme.io' })).rejects.toThrow('moved it to acme.io');
        expect(await store.suggestions.byDomain('acme.com')).toEqual(suggestion({ id: 'sug_acme', domain: 'acme.com' }));
        expect(await store.suggestions.get('sug_other')).toBeNull();
      });

      it('lists pending suggestions, the most recently seen first, up to the limit', async () => {
        await store.suggestions.change('old.com', () => suggestion({ id: 'sug_old', domain: 'old.com', lastSeenAt: '2025-03-01T00:00:00Z' }));
        await store.suggestions.change('new.com', () => suggestion({ id: 'sug_new', domain: 'new.com', lastSeenAt: '2025-03-03T00:00:00Z' }));
        await store.suggestions.change('mid.com', () => suggestion({ id: 'sug_mid', domain: 'mid.com', lastSeenAt: '2025-03-02T00:00:00.500Z' }));
        await store.suggestions.change('yes.com', () => suggestion({ id: 'sug_yes', domain: 'yes.com', lastSeenAt: '2025-03-04T00:00:00Z', status: 'accepted' }));
        await store.suggestions.change('no.com', () => suggestion({ id: 'sug_no', domain: 'no.com', lastSeenAt: '2025-03-04T00:00:00Z', status: 'dismissed' }));

        expect((await store.suggestions.pending(10)).map((s) => s.id)).toEqual(['sug_new', 'sug_mid', 'sug_old']);
        expect((await store.suggestions.pending(2)).map((s) => s.id)).toEqual(['sug_new', 'sug_mid']);
      });
    });

    describe('blocks', () => {
      it('puts, replaces by id, lists and removes blocked addresses and domains', async () => {
        await store.blocks.put(block({ id: 'jane@acme.com' }));
        await store.blocks.put(block({ id: '@newsletter.io' }));
        await store.blocks.put(block({ id: 'jane@acme.com', createdBy: 'U2' }));

        expect((await store.blocks.list()).map((b) => [b.id, b.createdBy]).sort()).toEqual([
          ['@newsletter.io', 'U1'],
          ['jane@acme.com', 'U2'],
        ]);
        expect(await store.blocks.remove('jane@acme.com')).toBe(true);
        expect(await store.blocks.remove('jane@acme.com')).toBe(false);
        expect(await store.blocks.remove('@nothing.com')).toBe(false);
        expect((await store.blocks.list()).map((b) => b.id)).toEqual(['@newsletter.io']);
      });
    });

    describe('channel links', () => {
      it('links a channel to a customer, moves it to another, and unlinks it', async () => {
        const link = channelLink({ id: 'C0ACME', customerId: 'cus_acme' });
        await store.channels.put(link);
        await store.channels.put(channelLink({ id: 'C0ACME2', customerId: 'cus_acme' }));

        expect(await store.channels.get('C0ACME')).toEqual(link);
        expect(await store.channels.get('C0NONE')).toBeNull();
        expect((await store.channels.byCustomer('cus_acme')).map((l) => l.id).sort()).toEqual(['C0ACME', 'C0ACME2']);

        await store.channels.put(channelLink({ id: 'C0ACME2', customerId: 'cus_beta' }));
        expect((await store.channels.byCustomer('cus_acme')).map((l) => l.id)).toEqual(['C0ACME']);
        expect((await store.channels.byCustomer('cus_beta')).map((l) => l.id)).toEqual(['C0ACME2']);

        expect(await store.channels.remove('C0ACME')).toBe(true);
        expect(await store.channels.remove('C0ACME')).toBe(false);
        expect(await store.channels.get('C0ACME')).toBeNull();
        expect(await store.channels.byCustomer('cus_acme')).toEqual([]);
      });
    });

    describe('mailboxes', () => {
      it('gives back a mailbox by id, by provider and address in any case, and by member', async () => {
        const jane = mailbox({ id: 'gmail:jane@ours.com', address: 'jane@ours.com', memberId: 'U1' });
        const janeOutlook = mailbox({ id: 'outlook:jane@ours.com', provider: 'outlook', address: 'jane@ours.com', memberId: 'U1' });
        const bruno = mailbox({ id: 'gmail:bruno@ours.com', address: 'bruno@ours.com', memberId: 'U2' });
        for (const each of [jane, janeOutlook, bruno]) await store.mailboxes.put(each);

        expect(await store.mailboxes.get('gmail:jane@ours.com')).toEqual(jane);
        expect(await store.mailboxes.get('gmail:nobody@ours.com')).toBeNull();
        expect(await store.mailboxes.byAddress('gmail', ' Jane@OURS.com ')).toEqual(jane);
        expect(await store.mailboxes.byAddress('outlook', 'jane@ours.com')).toEqual(janeOutlook);
        expect(await store.mailboxes.byAddress('outlook', 'bruno@ours.com')).toBeNull();
        expect((await store.mailboxes.byMember('U1')).map((m) => m.id).sort()).toEqual(['gmail:jane@ours.com', 'outlook:jane@ours.com']);
        expect(await store.mailboxes.byMember('U9')).toEqual([]);
        expect((await store.mailboxes.list()).map((m) => m.id).sort()).toEqual(['gmail:bruno@ours.com', 'gmail:jane@ours.com', 'outlook:jane@ours.com']);
      });

      it('replaces a mailbox by id: its sync state, its owner', async () => {
        await store.mailboxes.put(mailbox({ id: 'gmail:jane@ours.com', address: 'jane@ours.com', memberId: 'U1' }));

        const synced = mailbox({ id: 'gmail:jane@ours.com', address: 'jane@ours.com', memberId: 'U2', cursor: '12345', loggedCount: 7, lastSyncAt: '2025-03-10T09:00:00Z' });
        await store.mailboxes.put(synced);

        expect(await store.mailboxes.get('gmail:jane@ours.com')).toEqual(synced);
        expect(await store.mailboxes.byAddress('gmail', 'jane@ours.com')).toEqual(synced);
        expect(await store.mailboxes.byMember('U1')).toEqual([]);
        expect(await store.mailboxes.byMember('U2')).toEqual([synced]);
        expect(await store.mailboxes.list()).toEqual([synced]);
      });

      it('amends a mailbox in one step: changes made at the same moment all count', async () => {
        await store.mailboxes.put(mailbox({ id: 'gmail:jane@ours.com', address: 'jane@ours.com', memberId: 'U1' }));

        const written = await Promise.all(Array.from({ length: 12 }, () => store.mailboxes.amend('gmail:jane@ours.com', (m) => ({ ...m, loggedCount: m.loggedCount + 1 }))));

        expect(written.map((m) => m?.loggedCount).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect((await store.mailboxes.get('gmail:jane@ours.com'))?.loggedCount).toBe(12);
        expect(await store.mailboxes.amend('gmail:nobody@ours.com', (m) => m)).toBeNull();
        expect(await store.mailboxes.amend('gmail:jane@ours.com', (m) => ({ ...m, memberId: 'U2', address: ' Jane@Ours.com ' }))).toMatchObject({ memberId: 'U2', address: 'jane@ours.com' });
        expect((await store.mailboxes.byMember('U2')).map((m) => m.id)).toEqual(['gmail:jane@ours.com']);
        expect(await store.mailboxes.byMember('U1')).toEqual([]);
      });
    });

    describe('polls', () => {
      it('lists a customer’s polls newest first, and gives back a poll as written', async () => {
        await store.polls.insert(poll({ id: 'pol_old', createdAt: '2025-03-01T09:00:00Z' }));
        await store.polls.insert(poll({ id: 'pol_new', createdAt: '2025-03-05T09:00:00Z', via: 'slack', contactId: null, email: null, channelId: 'C0ACME' }));
        await store.polls.insert(poll({ id: 'pol_beta', customerId: 'cus_beta' }));

        expect((await store.polls.byCustomer('cus_acme')).map((p) => p.id)).toEqual(['pol_new', 'pol_old']);
        expect(await store.polls.byCustomer('cus_none')).toEqual([]);
        expect(await store.polls.get('pol_new')).toEqual(poll({ id: 'pol_new', createdAt: '2025-03-05T09:00:00Z', via: 'slack', contactId: null, email: null, channelId: 'C0ACME' }));
        expect(await store.polls.get('pol_none')).toBeNull();
      });

      it('finds the scheduled polls due by now, soonest first, and stops once they are sent', async () => {
        const now = new Date('2025-03-10T09:00:00Z');
        await store.polls.insert(poll({ id: 'pol_later', status: 'scheduled', sendAt: '2025-03-10T09:00:00.001Z' }));
        await store.polls.insert(poll({ id: 'pol_now', status: 'scheduled', sendAt: '2025-03-10T09:00:00Z' }));
        await store.polls.insert(poll({ id: 'pol_late', status: 'scheduled', sendAt: '2025-03-09T16:00:00Z' }));
        await store.polls.insert(poll({ id: 'pol_sent', status: 'sent', sendAt: '2025-03-01T00:00:00Z', sentAt: '2025-03-01T00:00:00Z' }));

        expect((await store.polls.due(now)).map((p) => p.id)).toEqual(['pol_late', 'pol_now']);
        const late = await store.polls.get('pol_late');
        if (!late) throw new Error('pol_late was not stored');
        await store.polls.update({ ...late, status: 'sent', sentAt: '2025-03-10T09:00:01Z' });
        expect((await store.polls.due(now)).map((p) => p.id)).toEqual(['pol_now']);
      });

      it('finds the polls answered or changed since an instant, the latest change first', async () => {
        await store.polls.insert(poll({ id: 'pol_quiet' }));
        await store.polls.insert(poll({ id: 'pol_old', answers: [answer({ respondent: 'jane@acme.com', updatedAt: '2025-03-08T10:00:00Z' })] }));
        await store.polls.insert(poll({ id: 'pol_a', answers: [answer({ respondent: 'jane@acme.com', updatedAt: '2025-03-09T10:00:00Z' })] }));
        await store.polls.insert(
          poll({ id: 'pol_b', answers: [answer({ respondent: 'U1', updatedAt: '2025-03-08T00:00:00Z' }), answer({ respondent: 'U2', score: 2, updatedAt: '2025-03-09T12:00:00Z' })] }),
        );

        expect((await store.polls.answeredSince(new Date('2025-03-09T00:00:00Z'))).map((p) => p.id)).toEqual(['pol_b', 'pol_a']);
        const quiet = await store.polls.get('pol_quiet');
        if (!quiet) throw new Error('pol_quiet was not stored');
        await store.polls.update({ ...quiet, answers: [answer({ respondent: 'jane@acme.com', updatedAt: '2025-03-09T11:00:00Z' })] });
        expect((await store.polls.answeredSince(new Date('2025-03-09T00:00:00Z'))).map((p) => p.id)).toEqual(['pol_b', 'pol_quiet', 'pol_a']);
      });

      it('amends a poll in one step: answers given at the same moment all count', async () => {
        await store.polls.insert(poll({ id: 'pol_1', via: 'slack', contactId: null, email: null, channelId: 'C0ACME' }));
        const respondents = Array.from({ length: 12 }, (_, i) => `U${i}`);
        const add = (respondent: string) => (current: Poll) => ({ ...current, answers: [...current.answers, answer({ respondent, updatedAt: '2025-03-02T09:00:00Z' })] });

        const written = await Promise.all(respondents.map((respondent) => store.polls.amend('pol_1', add(respondent))));

        expect(written.map((p) => p?.answers.length).sort((a, b) => a! - b!)).toEqual(respondents.map((_, i) => i + 1));
        expect((await store.polls.get('pol_1'))?.answers.map((a) => a.respondent).sort()).toEqual([...respondents].sort());
        expect((await store.polls.answeredSince(new Date('2025-03-02T00:00:00Z'))).map((p) => p.id)).toEqual(['pol_1']);
      });

      it('leaves a poll as it is when the change says no, and amends no poll that does not exist', async () => {
        await store.polls.insert(poll({ id: 'pol_1' }));
        const seen: string[] = [];

        expect(await store.polls.amend('pol_1', (current) => (seen.push(current.id), null))).toBeNull();
        expect(await store.polls.amend('pol_ghost', (current) => (seen.push(current.id), current))).toBeNull();

        expect(seen).toEqual(['pol_1']);
        expect(await store.polls.get('pol_1')).toEqual(poll({ id: 'pol_1' }));
        expect(await store.polls.get('pol_ghost')).toBeNull();
      });

      it('refuses a reused id, and an update of a poll that does not exist', async () => {
        await store.polls.insert(poll({ id: 'pol_1' }));
        await expect(store.polls.insert(poll({ id: 'pol_1', kind: 'nps' }))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.polls.update(poll({ id: 'pol_ghost' }))).rejects.toBeInstanceOf(NotFoundError);
        expect((await store.polls.get('pol_1'))?.kind).toBe('csat');
        expect(await store.polls.get('pol_ghost')).toBeNull();
      });
    });

    describe('cases', () => {
      it('lists a customer’s cases newest first, open and closed', async () => {
        await store.cases.insert(supportCase({ id: 'cas_old', openedAt: '2025-03-01T09:00:00Z', status: 'closed', closedAt: '2025-03-02T09:00:00Z', closedBy: 'U1', closeNote: 'Refunded' }));
        await store.cases.insert(supportCase({ id: 'cas_new', openedAt: '2025-03-05T09:00:00Z' }));
        await store.cases.insert(supportCase({ id: 'cas_beta', customerId: 'cus_beta' }));

        expect((await store.cases.byCustomer('cus_acme')).map((c) => c.id)).toEqual(['cas_new', 'cas_old']);
        expect(await store.cases.byCustomer('cus_none')).toEqual([]);
        expect((await store.cases.get('cas_old'))?.closeNote).toBe('Refunded');
      });

      it('lists the open cases soonest due first, and the overdue ones not yet escalated', async () => {
        const now = new Date('2025-03-10T09:00:00Z');
        await store.cases.insert(supportCase({ id: 'cas_later', dueAt: '2025-03-10T09:00:00.001Z' }));
        await store.cases.insert(supportCase({ id: 'cas_now', dueAt: '2025-03-10T09:00:00Z' }));
        await store.cases.insert(supportCase({ id: 'cas_late', dueAt: '2025-03-09T09:00:00Z', customerId: 'cus_beta' }));
        await store.cases.insert(supportCase({ id: 'cas_closed', dueAt: '2025-03-01T09:00:00Z', status: 'closed', closedAt: '2025-03-02T09:00:00Z', closedBy: 'U1' }));

        expect((await store.cases.open()).map((c) => c.id)).toEqual(['cas_late', 'cas_now', 'cas_later']);
        expect((await store.cases.overdue(now)).map((c) => c.id)).toEqual(['cas_late', 'cas_now']);
        const late = await store.cases.get('cas_late');
        if (!late) throw new Error('cas_late was not stored');
        await store.cases.update({ ...late, escalatedAt: '2025-03-10T09:00:00Z', escalatedTo: 'U9' });
        expect((await store.cases.overdue(now)).map((c) => c.id)).toEqual(['cas_now']);
        expect((await store.cases.open()).map((c) => c.id)).toEqual(['cas_late', 'cas_now', 'cas_later']);
      });

      it('replaces a case only while it is open, so a close is never undone', async () => {
        await store.cases.insert(supportCase({ id: 'cas_1' }));
        const open = (await store.cases.get('cas_1'))!;

        expect(await store.cases.updateOpen({ ...open, status: 'closed', closedAt: '2025-03-02T09:00:00Z', closedBy: 'U2', closeNote: 'Refunded' })).toBe(true);
        expect(await store.cases.updateOpen({ ...open, escalatedAt: '2025-03-03T09:00:00Z', escalatedTo: 'U9' })).toBe(false);
        expect(await store.cases.get('cas_1')).toMatchObject({ status: 'closed', closedBy: 'U2', escalatedAt: null });
        expect(await store.cases.open()).toEqual([]);
        expect(await store.cases.updateOpen(supportCase({ id: 'cas_ghost' }))).toBe(false);
        expect(await store.cases.get('cas_ghost')).toBeNull();
      });

      it('refuses a reused id, and an update of a case that does not exist', async () => {
        await store.cases.insert(supportCase({ id: 'cas_1' }));
        await expect(store.cases.insert(supportCase({ id: 'cas_1', text: 'Other' }))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.cases.update(supportCase({ id: 'cas_ghost' }))).rejects.toBeInstanceOf(NotFoundError);
        expect((await store.cases.get('cas_1'))?.text).toBe('Invoice charged twice');
      });
    });

    describe('deals', () => {
      beforeEach(async () => {
        await store.deals.insert(deal({ id: 'dea_old', updatedAt: '2025-03-01T09:00:00Z' }));
        await store.deals.insert(deal({ id: 'dea_won', stage: 'won', amount: 1200.5, updatedAt: '2025-03-04T09:00:00Z', closedAt: '2025-03-04T09:00:00Z' }));
        await store.deals.insert(deal({ id: 'dea_lost', stage: 'lost', updatedAt: '2025-03-05T09:00:00Z', closedAt: '2025-03-05T09:00:00Z' }));
        await store.deals.insert(deal({ id: 'dea_beta', customerId: 'cus_beta', updatedAt: '2025-03-06T09:00:00Z' }));
        await store.deals.insert(deal({ id: 'dea_old_win', customerId: 'cus_beta', stage: 'won', updatedAt: '2024-01-02T09:00:00Z', closedAt: '2024-01-02T09:00:00Z' }));
      });

      it('lists a customer’s deals and the open ones, the most recently changed first', async () => {
        expect((await store.deals.byCustomer('cus_acme')).map((d) => d.id)).toEqual(['dea_lost', 'dea_won', 'dea_old']);
        expect((await store.deals.open()).map((d) => d.id)).toEqual(['dea_beta', 'dea_old']);
        expect(await store.deals.byCustomer('cus_none')).toEqual([]);
        expect((await store.deals.get('dea_won'))?.amount).toBe(1200.5);
      });

      it('finds the deals changed since an instant, and those won since', async () => {
        expect((await store.deals.changedSince(new Date('2025-03-04T09:00:00Z'))).map((d) => d.id)).toEqual(['dea_beta', 'dea_lost', 'dea_won']);
        expect((await store.deals.wonSince(new Date('2024-01-01T00:00:00Z'))).map((d) => d.id)).toEqual(['dea_won', 'dea_old_win']);
        expect((await store.deals.wonSince(new Date('2025-01-01T00:00:00Z'))).map((d) => d.id)).toEqual(['dea_won']);

        const old = await store.deals.get('dea_old');
        if (!old) throw new Error('dea_old was not stored');
        await store.deals.update({ ...old, stage: 'won', updatedAt: '2025-03-07T09:00:00Z', closedAt: '2025-03-07T09:00:00Z' });
        expect((await store.deals.wonSince(new Date('2025-01-01T00:00:00Z'))).map((d) => d.id)).toEqual(['dea_old', 'dea_won']);
        expect((await store.deals.open()).map((d) => d.id)).toEqual(['dea_beta']);
      });

      it('refuses a reused id, and an update of a deal that does not exist', async () => {
        await expect(store.deals.insert(deal({ id: 'dea_old', name: 'Other' }))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.deals.update(deal({ id: 'dea_ghost' }))).rejects.toBeInstanceOf(NotFoundError);
        expect((await store.deals.get('dea_old'))?.name).toBe('Renewal 2025');
      });
    });

    describe('job runs', () => {
      it('keeps one record per job, replaced at each run, listed by name', async () => {
        const first = jobRun({ id: 'reminders', runs: 1, lastOutcome: 'ok' });
        await store.jobRuns.put(first);
        await store.jobRuns.put(jobRun({ id: 'digests', runs: 3, lastOutcome: 'failed', lastError: 'Slack is down', lastFailedAt: '2025-03-10T08:00:00Z', failuresInARow: 1 }));
        await store.jobRuns.put({ ...first, runs: 2, lastStartedAt: '2025-03-10T09:01:00Z' });

        expect((await store.jobRuns.list()).map((run) => [run.id, run.runs])).toEqual([['digests', 3], ['reminders', 2]]);
        expect((await store.jobRuns.get('digests'))?.lastError).toBe('Slack is down');
        expect(await store.jobRuns.get('nothing')).toBeNull();
      });
    });

    describe('digests sent', () => {
      it('remembers one digest per member and day, and refuses a second', async () => {
        const sent = { id: 'U1:2025-03-10', memberId: 'U1', date: '2025-03-10', sentAt: '2025-03-10T08:00:00Z', sections: ['Overdue reminders'] };
        await store.digests.insert(sent);

        expect(await store.digests.get('U1', '2025-03-10')).toEqual(sent);
        expect(await store.digests.get('U1', '2025-03-11')).toBeNull();
        expect(await store.digests.get('U2', '2025-03-10')).toBeNull();
        await expect(store.digests.insert({ ...sent, sentAt: '2025-03-10T08:01:00Z' })).rejects.toBeInstanceOf(ConflictError);
        expect((await store.digests.get('U1', '2025-03-10'))?.sentAt).toBe('2025-03-10T08:00:00Z');
      });

      it('forgets a digest removed, so that the day can have one again', async () => {
        const sent = { id: 'U1:2025-03-10', memberId: 'U1', date: '2025-03-10', sentAt: '2025-03-10T08:00:00Z', sections: [] };
        await store.digests.insert(sent);
        await store.digests.insert({ ...sent, id: 'U2:2025-03-10', memberId: 'U2' });

        await store.digests.remove('U1', '2025-03-10');
        await store.digests.remove('U1', '2025-03-11');

        expect(await store.digests.get('U1', '2025-03-10')).toBeNull();
        expect(await store.digests.get('U2', '2025-03-10')).not.toBeNull();
        await store.digests.insert({ ...sent, sentAt: '2025-03-10T08:05:00Z' });
        expect((await store.digests.get('U1', '2025-03-10'))?.sentAt).toBe('2025-03-10T08:05:00Z');
      });
    });

    describe('contact addresses', () => {
      it('gives every contact\'s address and customer, nameless and customerless ones too', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'Jane@Acme.com', name: 'Jane', customerId: 'cus_acme' }));
        await store.contacts.insert(contact({ id: 'con_lee', email: 'lee@gmail.com' }));

        const addresses = (await store.contacts.addresses()).map(({ email, customerId }) => ({ email, customerId }));

        expect(addresses.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
          { email: 'jane@acme.com', customerId: 'cus_acme' },
          { email: 'lee@gmail.com', customerId: null },
        ]);
      });
    });

    describe('customer names', () => {
      it('gives each customer with what tells it apart: domains, when it was added, the customers it is not', async () => {
        await store.customers.insert(customer({ id: 'cus_a', name: 'Acme', domains: ['acme.com', 'acme.io'], createdAt: '2025-01-02T03:04:05.000Z' }));
        await store.customers.insert(customer({ id: 'cus_b', name: 'Acne', domains: [], notDuplicateOf: ['cus_a'] }));

        const names = [...(await store.customers.names())].sort((x, y) => (x.id < y.id ? -1 : 1));

        expect(names.map(({ id, name, domains, createdAt, notDuplicateOf }) => ({ id, name, domains: [...domains].sort(), createdAt, notDuplicateOf }))).toEqual([
          { id: 'cus_a', name: 'Acme', domains: ['acme.com', 'acme.io'], createdAt: '2025-01-02T03:04:05.000Z', notDuplicateOf: undefined },
          { id: 'cus_b', name: 'Acne', domains: [], createdAt: '2025-01-01T00:00:00Z', notDuplicateOf: ['cus_a'] },
        ]);
      });
    });

    describe('many customers read at once', () => {
      it("gives each look-up of a customer's contacts, interactions, polls, cases and deals that customer's own, in order", async () => {
        const ids = ['cus_a', 'cus_b', 'cus_c'];
        for (const id of ids) await store.customers.insert(customer({ id, name: id, domains: [`${id.slice(4)}corp.com`] }));
        for (const [n, id] of ['cus_a', 'cus_b'].entries()) {
          for (const day of [1, 3, 2]) {
            const at = `2025-03-0${day}T0${n}:00:00Z`;
            await store.contacts.insert(contact({ id: `con_${id}_${day}`, email: `p${day}@${id.slice(4)}corp.com`, customerId: id, createdAt: at }));
            await store.interactions.insert(interaction({ id: `int_${id}_${day}`, customerId: id, occurredAt: at }));
            await store.polls.insert(poll({ id: `pol_${id}_${day}`, customerId: id, createdAt: at }));
            await store.cases.insert(supportCase({ id: `cas_${id}_${day}`, customerId: id, openedAt: at }));
            await store.deals.insert(deal({ id: `dea_${id}_${day}`, customerId: id, updatedAt: at }));
          }
        }

        // All asked for at once, as the digest does, some twice.
        const asked = [...ids, 'cus_a'];
        const [contacts, interactions, newest, polls, cases, deals] = await Promise.all([
          Promise.all(asked.map((id) => store.contacts.byCustomer(id))),
          Promise.all(asked.map((id) => store.interactions.byCustomer(id, 10))),
          Promise.all(asked.map((id) => store.interactions.byCustomer(id, 2))),
          Promise.all(asked.map((id) => store.polls.byCustomer(id))),
          Promise.all(asked.map((id) => store.cases.byCustomer(id))),
          Promise.all(asked.map((id) => store.deals.byCustomer(id))),
        ]);

        const of = (records: { id: string }[][]) => records.map((list) => list.map((record) => record.id));
        const expected = (prefix: string, days: number[]) => [...['cus_a', 'cus_b'].map((id) => days.map((day) => `${prefix}_${id}_${day}`)), [], days.map((day) => `${prefix}_cus_a_${day}`)];
        // A customer's contacts come in no set order.
        expect(of(contacts).map((list) => list.sort())).toEqual(expected('con', [1, 2, 3]));
        expect(of(interactions)).toEqual(expected('int', [3, 2, 1]));
        expect(of(newest)).toEqual(expected('int', [3, 2]));
        expect(of(polls)).toEqual(expected('pol', [3, 2, 1]));
        expect(of(cases)).toEqual(expected('cas', [3, 2, 1]));
        expect(of(deals)).toEqual(expected('dea', [3, 2, 1]));
        // Each look-up has a list of its own.
        expect(contacts[0]).not.toBe(contacts[3]);
      });
    });

    describe('merging customers', () => {
      beforeEach(async () => {
        await store.customers.insert(customer({ id: 'cus_inc', name: 'Acme Inc', domains: ['acme.com', 'acme.io'], ownerId: 'U1' }));
        await store.customers.insert(customer({ id: 'cus_corp', name: 'Acme Corp', domains: ['acmecorp.com'], ownerId: 'U1' }));
      });

      it('makes the merged customer a redirect without domains and gives its domains to the target, in one step', async () => {
        expect((await store.customers.markMerged('cus_inc', 'cus_corp')).sort()).toEqual(['acme.com', 'acme.io']);

        expect(await store.customers.get('cus_inc')).toMatchObject({ mergedInto: 'cus_corp', domains: [] });
        expect([...(await store.customers.get('cus_corp'))!.domains].sort()).toEqual(['acme.com', 'acme.io', 'acmecorp.com']);
        expect((await store.customers.byDomain('acme.io'))?.id).toBe('cus_corp');
        expect(await store.customers.markMerged('cus_inc', 'cus_corp')).toEqual([]);
      });

      it('leaves merged customers out of list, names, search and ownership, but still finds them by their exact name', async () => {
        await store.customers.markMerged('cus_inc', 'cus_corp');

        expect((await store.customers.list()).map((c) => c.id)).toEqual(['cus_corp']);
        expect((await store.customers.names()).map(({ id, name, domains }) => ({ id, name, domains: [...domains].sort() }))).toEqual([
          { id: 'cus_corp', name: 'Acme Corp', domains: ['acme.com', 'acme.io', 'acmecorp.com'] },
        ]);
        expect((await store.customers.search('acme', 10)).map((c) => c.id)).toEqual(['cus_corp']);
        expect((await store.customers.ownedBy('U1')).map((c) => c.id)).toEqual(['cus_corp']);
        expect((await store.customers.byName('acme inc')).map((c) => c.id)).toEqual(['cus_inc']);
      });

      it('refuses a merge into itself, into a merged customer, of one merged elsewhere, or of an unknown id, changing nothing', async () => {
        await store.customers.insert(customer({ id: 'cus_other', name: 'Other' }));
        await store.customers.markMerged('cus_inc', 'cus_corp');

        await expect(store.customers.markMerged('cus_corp', 'cus_corp')).rejects.toBeInstanceOf(ConflictError);
        await expect(store.customers.markMerged('cus_other', 'cus_inc')).rejects.toBeInstanceOf(ConflictError);
        await expect(store.customers.markMerged('cus_inc', 'cus_other')).rejects.toBeInstanceOf(ConflictError);
        await expect(store.customers.markMerged('cus_nobody', 'cus_corp')).rejects.toBeInstanceOf(NotFoundError);
        expect((await store.customers.get('cus_other'))?.mergedInto).toBeUndefined();
        expect((await store.customers.get('cus_inc'))?.mergedInto).toBe('cus_corp');
      });

      it('moves contacts, reminders open and done, polls, cases, deals and channel links, and a second move finds nothing', async () => {
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com', customerId: 'cus_inc' }));
        await store.contacts.insert(contact({ id: 'con_bob', email: 'bob@acmecorp.com', customerId: 'cus_corp' }));
        await store.reminders.insert(reminder({ id: 'rem_open', customerId: 'cus_inc' }));
        await store.reminders.insert(reminder({ id: 'rem_done', customerId: 'cus_inc', status: 'done', doneAt: '2025-03-02T00:00:00Z' }));
        await store.polls.insert(poll({ id: 'pol_1', customerId: 'cus_inc' }));
        await store.cases.insert(supportCase({ id: 'cas_1', customerId: 'cus_inc' }));
        await store.deals.insert(deal({ id: 'dea_1', customerId: 'cus_inc', stage: 'won', closedAt: '2025-03-01T09:00:00Z' }));
        await store.channels.put(channelLink({ id: 'C0INC', customerId: 'cus_inc' }));

        expect(await store.contacts.moveCustomer('cus_inc', 'cus_corp')).toBe(1);
        expect(await store.reminders.moveCustomer('cus_inc', 'cus_corp')).toBe(2);
        expect(await store.polls.moveCustomer('cus_inc', 'cus_corp')).toBe(1);
        expect(await store.cases.moveCustomer('cus_inc', 'cus_corp')).toBe(1);
        expect(await store.deals.moveCustomer('cus_inc', 'cus_corp')).toBe(1);
        expect(await store.channels.moveCustomer('cus_inc', 'cus_corp')).toBe(1);

        expect((await store.contacts.byCustomer('cus_corp')).map((c) => c.id).sort()).toEqual(['con_bob', 'con_jane']);
        expect(await store.contacts.byCustomer('cus_inc')).toEqual([]);
        expect((await store.contacts.byEmail('jane@acme.com'))?.customerId).toBe('cus_corp');
        expect((await store.reminders.openByCustomer('cus_corp')).map((r) => r.id)).toEqual(['rem_open']);
        expect((await store.reminders.get('rem_done'))?.customerId).toBe('cus_corp');
        expect((await store.polls.byCustomer('cus_corp')).map((p) => p.id)).toEqual(['pol_1']);
        expect((await store.cases.byCustomer('cus_corp')).map((c) => c.id)).toEqual(['cas_1']);
        expect((await store.deals.byCustomer('cus_corp')).map((d) => d.id)).toEqual(['dea_1']);
        expect((await store.deals.wonSince(new Date('2025-01-01T00:00:00Z'))).map((d) => d.customerId)).toEqual(['cus_corp']);
        expect((await store.channels.get('C0INC'))?.customerId).toBe('cus_corp');
        expect(await store.channels.byCustomer('cus_inc')).toEqual([]);
        for (const repo of [store.contacts, store.reminders, store.polls, store.cases, store.deals, store.channels]) {
          expect(await repo.moveCustomer('cus_inc', 'cus_corp')).toBe(0);
        }
      });

      it('moves every interaction, unlinked ones too, keeping the target its copy of a message both had', async () => {
        await store.interactions.insert(interaction({ id: 'int_call', customerId: 'cus_inc', occurredAt: '2025-03-01T10:00:00Z' }));
        await store.interactions.insert(interaction({ id: 'int_corp_call', customerId: 'cus_corp', occurredAt: '2025-03-03T10:00:00Z' }));
        await store.interactions.insertMessages([
          mail({ id: 'int_own', customerId: 'cus_inc', messageId: 'own@acme.com', occurredAt: '2025-03-02T10:00:00Z' }),
          mail({ id: 'int_shared_inc', customerId: 'cus_inc', messageId: 'shared@acme.com' }),
          mail({ id: 'int_shared_corp', customerId: 'cus_corp', messageId: 'shared@acme.com', occurredAt: '2025-02-28T10:00:00Z' }),
          mail({ id: 'int_off', customerId: 'cus_inc', messageId: 'off@acme.com' }),
        ]);
        const off = (await store.interactions.get('int_off'))!;
        await store.interactions.update({ ...off, unlinkedAt: '2025-03-04T00:00:00Z', unlinkedBy: 'U1' });
        const total = await countAll(store);

        expect(await store.interactions.moveCustomer('cus_inc', 'cus_corp')).toEqual({ moved: 3, alreadyThere: 1 });

        expect(await countAll(store)).toBe(total - 1);
        expect(await store.interactions.get('int_shared_inc')).toBeNull();
        expect((await store.interactions.get('int_shared_corp'))?.customerId).toBe('cus_corp');
        expect((await store.interactions.get('int_off'))).toMatchObject({ customerId: 'cus_corp', unlinkedBy: 'U1' });
        expect(await store.interactions.countByCustomer('cus_inc')).toBe(0);
        expect((await store.interactions.byCustomer('cus_corp', 10)).map((i) => i.id)).toEqual(['int_corp_call', 'int_own', 'int_call', 'int_shared_corp']);
        expect(await store.interactions.insertMessages([mail({ id: 'int_again', customerId: 'cus_corp', messageId: 'off@acme.com' })])).toEqual([]);
        expect(await store.interactions.moveCustomer('cus_inc', 'cus_corp')).toEqual({ moved: 0, alreadyThere: 0 });
      });

      it('interleaves a moved timeline with the one it joins, by when each happened', async () => {
        const day = (d: number, hour = 10) => `2025-03-0${d}T${hour}:00:00Z`;
        for (const d of [1, 3, 5, 7]) await store.interactions.insert(interaction({ id: `int_inc_${d}`, customerId: 'cus_inc', occurredAt: day(d), loggedAt: day(d, 12) }));
        for (const d of [2, 4, 6]) await store.interactions.insert(interaction({ id: `int_corp_${d}`, customerId: 'cus_corp', occurredAt: day(d), loggedAt: day(d, 12) }));
        // The same moment as the corp's call of the 4th, logged later: it reads as newer.
        await store.interactions.insert(interaction({ id: 'int_inc_4', customerId: 'cus_inc', occurredAt: day(4), loggedAt: day(4, 13) }));

        expect(await store.interactions.moveCustomer('cus_inc', 'cus_corp')).toEqual({ moved: 5, alreadyThere: 0 });

        expect((await store.interactions.byCustomer('cus_corp', 10)).map((i) => i.id)).toEqual([
          'int_inc_7', 'int_corp_6', 'int_inc_5', 'int_inc_4', 'int_corp_4', 'int_inc_3', 'int_corp_2', 'int_inc_1',
        ]);
        expect(await store.interactions.countByCustomer('cus_corp')).toBe(8);
        expect((await store.interactions.recentByCustomers(['cus_corp'], new Date(day(5)))).map((i) => i.id)).toEqual(['int_inc_7', 'int_corp_6', 'int_inc_5']);
      });

      it('keeps a merge after close and reopen, the unlinked interaction it moved included', async () => {
        await store.interactions.insertMessages([mail({ id: 'int_off', customerId: 'cus_inc', messageId: 'off@acme.com' })]);
        await store.interactions.update({ ...(await store.interactions.get('int_off'))!, unlinkedAt: '2025-03-04T00:00:00Z', unlinkedBy: 'U1' });
        await store.customers.markMerged('cus_inc', 'cus_corp');
        await store.close();

        const again = await harness.reopen();
        expect((await again.customers.byDomain('acme.com'))?.id).toBe('cus_corp');
        expect(await again.interactions.moveCustomer('cus_inc', 'cus_corp')).toEqual({ moved: 1, alreadyThere: 0 });
        expect((await again.interactions.get('int_off'))?.customerId).toBe('cus_corp');
      });
    });

    describe('jobs', () => {
      it('runs a job, and not a second time while it still runs; another job runs meanwhile', async () => {
        let finish!: () => void;
        const held = new Promise<void>((resolve) => (finish = resolve));
        const ran: string[] = [];

        const first = store.runOnce('reminders', async () => {
          ran.push('reminders 1');
          await held;
        });
        await expect.poll(() => ran).toEqual(['reminders 1']);
        const second = await store.runOnce('reminders', async () => void ran.push('reminders 2'));
        const other = await store.runOnce('digests', async () => void ran.push('digests'));
        finish();

        expect([await first, second, other]).toEqual([true, false, true]);
        expect(await store.runOnce('reminders', async () => void ran.push('reminders 3'))).toBe(true);
        expect(ran).toEqual(['reminders 1', 'digests', 'reminders 3']);
      });

      it('lets a job run again after it failed', async () => {
        await expect(store.runOnce('reminders', async () => Promise.reject(new Error('Slack is down')))).rejects.toThrow('Slack is down');

        expect(await store.runOnce('reminders', async () => undefined)).toBe(true);
      });
    });

    describe('copying', () => {
      it('gives back every record of every collection, unlinked interactions and closed reminders too', async () => {
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'] }));
        await store.customers.insert(customer({ id: 'cus_beta', name: 'Beta', domains: ['beta.com'] }));
        await store.contacts.insert(contact({ id: 'con_jane', email: 'jane@acme.com', customerId: 'cus_acme' }));
        await store.contacts.insert(contact({ id: 'con_lone', email: 'lone@gmail.com' }));
        await store.interactions.insert(interaction({ id: 'int_1' }));
        await store.interactions.insertMessages([mail({ id: 'int_2', unlinkedAt: '2025-03-02T00:00:00Z', unlinkedBy: 'U1' })]);
        await store.reminders.insert(reminder({ id: 'rem_open' }));
        await store.reminders.insert(reminder({ id: 'rem_done', status: 'done', doneAt: '2025-03-02T00:00:00Z' }));
        await store.members.put(member({ id: 'U1', name: 'Ana' }));
        await store.deliveries.firstSeen('slack:Ev1', new Date('2025-03-10T09:00:00Z'));
        await store.suggestions.change('gamma.com', () => suggestion({ id: 'sug_acme', domain: 'gamma.com' }));
        await store.blocks.put(block({ id: '@newsletter.io' }));
        await store.channels.put(channelLink({ id: 'C0ACME', customerId: 'cus_acme' }));
        await store.mailboxes.put(mailbox({ id: 'gmail:jane@ours.com', address: 'jane@ours.com', memberId: 'U1' }));
        await store.polls.insert(poll({ id: 'pol_1' }));
        await store.cases.insert(supportCase({ id: 'cas_1' }));
        await store.deals.insert(deal({ id: 'dea_1' }));
        await store.jobRuns.put(jobRun({ id: 'reminders' }));
        await store.digests.insert({ id: 'U1:2025-03-10', memberId: 'U1', date: '2025-03-10', sentAt: '2025-03-10T08:00:00Z', sections: [] });

        const ids = async (collection: CollectionName) => {
          const found: string[] = [];
          for await (const record of store.records(collection)) found.push(record.id);
          return found.sort();
        };

        expect(await ids('customers')).toEqual(['cus_acme', 'cus_beta']);
        expect(await ids('contacts')).toEqual(['con_jane', 'con_lone']);
        expect(await ids('interactions')).toEqual(['int_1', 'int_2']);
        expect(await ids('reminders')).toEqual(['rem_done', 'rem_open']);
        expect(await ids('members')).toEqual(['U1']);
        expect(await ids('deliveries')).toEqual(['slack:Ev1']);
        expect(await ids('suggestions')).toEqual(['sug_acme']);
        expect(await ids('blocks')).toEqual(['@newsletter.io']);
        expect(await ids('channels')).toEqual(['C0ACME']);
        expect(await ids('mailboxes')).toEqual(['gmail:jane@ours.com']);
        expect(await ids('polls')).toEqual(['pol_1']);
        expect(await ids('cases')).toEqual(['cas_1']);
        expect(await ids('deals')).toEqual(['dea_1']);
        expect(await ids('jobRuns')).toEqual(['reminders']);
        expect(await ids('digests')).toEqual(['U1:2025-03-10']);
        const interactions: Interaction[] = [];
        for await (const record of store.records('interactions')) interactions.push(record);
        expect(interactions.find((i) => i.id === 'int_2')).toEqual(await store.interactions.get('int_2'));
        const deliveries = [];
        for await (const record of store.records('deliveries')) deliveries.push(record);
        expect(deliveries).toEqual([{ id: 'slack:Ev1', seenAt: '2025-03-10T09:00:00.000Z' }]);
      });

      it('gives back nothing from an empty store', async () => {
        for (const collection of collectionNames) {
          for await (const record of store.records(collection)) throw new Error(`${collection} holds ${record.id}`);
        }
      });
    });

    describe('persistence', () => {
      it('keeps everything written after close and reopen', async () => {
        const acme = customer({ id: 'cus_acme', name: 'Acme', domains: ['acme.com'], ownerId: 'U1' });
        const jane = contact({ id: 'con_jane', email: 'jane@acme.com', customerId: 'cus_acme' });
        const call = interaction({ id: 'int_1' });
        const due = reminder({ id: 'rem_1', dueAt: '2025-03-01T09:00:00Z' });
        const ana = member({ id: 'U1', name: 'Ana' });
        await store.customers.insert(customer({ id: 'cus_acme', name: 'Acme (old name)', domains: ['acme.com'] }));
        await store.customers.update(acme);
        await store.contacts.insert(jane);
        await store.interactions.insert(call);
        await store.reminders.insert(due);
        await store.members.put(ana);
        await store.deliveries.firstSeen('slack:Ev1', new Date('2025-03-10T09:00:00Z'));
        await store.close();

        const again = await harness.reopen();

        expect(await again.customers.get('cus_acme')).toEqual(acme);
        expect((await again.customers.byDomain('acme.com'))?.id).toBe('cus_acme');
        expect((await again.customers.byName('acme')).map((c) => c.id)).toEqual(['cus_acme']);
        expect(await again.contacts.byEmail('jane@acme.com')).toEqual(jane);
        expect(await again.contacts.byCustomer('cus_acme')).toEqual([jane]);
        expect(await again.interactions.byCustomer('cus_acme', 10)).toEqual([call]);
        expect(await again.reminders.due(new Date('2025-03-10T00:00:00Z'))).toEqual([due]);
        expect(await again.members.list()).toEqual([ana]);
        expect(await again.deliveries.firstSeen('slack:Ev1', new Date('2025-03-10T09:01:00Z'))).toBe(false);
        await expect(again.customers.insert(customer({ id: 'cus_copy', domains: ['acme.com'] }))).rejects.toBeInstanceOf(ConflictError);
      });

      it('keeps every one of many concurrent writes', async () => {
        await Promise.all(
          Array.from({ length: 50 }, (_, n) => store.interactions.insert(interaction({ id: `int_${n}`, summary: `note ${n}` }))),
        );
        await store.close();

        const again = await harness.reopen();

        expect(await again.interactions.countByCustomer('cus_acme')).toBe(50);
      });

      it('keeps messages, unlinks, suggestions, blocks, channel links and mailboxes after close and reopen', async () => {
        const [logged, other] = await store.interactions.insertMessages([
          mail({ id: 'int_1', messageId: 'm1@acme.com' }),
          mail({ id: 'int_2', messageId: 'm2@acme.com' }),
        ]);
        if (!logged || !other) throw new Error('both messages should be logged');
        const unlinked = { ...other, unlinkedAt: '2025-03-02T00:00:00Z', unlinkedBy: 'U1' };
        await store.interactions.update(unlinked);
        const acme = suggestion({ id: 'sug_acme', domain: 'acme.com' });
        await store.suggestions.change('acme.com', () => acme);
        await store.blocks.put(block({ id: '@newsletter.io' }));
        await store.blocks.put(block({ id: 'spam@acme.com' }));
        await store.blocks.remove('spam@acme.com');
        const link = channelLink({ id: 'C0ACME', customerId: 'cus_acme' });
        await store.channels.put(link);
        await store.channels.put(channelLink({ id: 'C0GONE', customerId: 'cus_acme' }));
        await store.channels.remove('C0GONE');
        const jane = mailbox({ id: 'gmail:jane@ours.com', address: 'jane@ours.com', memberId: 'U1' });
        await store.mailboxes.put(jane);
        await store.close();

        const again = await harness.reopen();

        expect(await again.interactions.byCustomer('cus_acme', 10)).toEqual([logged]);
        expect(await again.interactions.get('int_2')).toEqual(unlinked);
        expect((await again.interactions.byMessageId('m2@acme.com')).map((i) => i.id)).toEqual(['int_2']);
        expect(await again.interactions.insertMessages([mail({ id: 'int_3', messageId: 'm2@acme.com' })])).toEqual([]);
        expect(await again.suggestions.byDomain('acme.com')).toEqual(acme);
        expect(await again.suggestions.pending(10)).toEqual([acme]);
        await expect(again.suggestions.change('acme.com', () => suggestion({ id: 'sug_copy', domain: 'acme.com' }))).rejects.toBeInstanceOf(ConflictError);
        expect((await again.blocks.list()).map((b) => b.id)).toEqual(['@newsletter.io']);
        expect(await again.channels.byCustomer('cus_acme')).toEqual([link]);
        expect(await again.channels.get('C0GONE')).toBeNull();
        expect(await again.mailboxes.byAddress('gmail', 'jane@ours.com')).toEqual(jane);
        expect(await again.mailboxes.byMember('U1')).toEqual([jane]);
      });
    });
  });
}

/** How many interactions the store holds, unlinked ones too. */
async function countAll(store: Store): Promise<number> {
  let count = 0;
  for await (const _ of store.records('interactions')) count++;
  return count;
}

function customer(fields: Partial<Customer> & { id: string }): Customer {
  return { name: 'Acme', domains: [], ownerId: null, createdAt: '2025-01-01T00:00:00Z', createdBy: 'U1', ...fields };
}

function contact(fields: Partial<Contact> & { id: string; email: string }): Contact {
  return { name: null, customerId: null, source: 'manual', createdAt: '2025-01-01T00:00:00Z', createdBy: 'U1', ...fields };
}

function interaction(fields: Partial<Interaction> & { id: string }): Interaction {
  return {
    customerId: 'cus_acme',
    kind: 'call',
    summary: 'Talked about the renewal',
    occurredAt: '2025-03-01T10:00:00Z',
    loggedAt: '2025-03-01T10:05:00Z',
    loggedBy: 'U1',
    linkReason: 'manual',
    permalink: null,
    ...notAMessage,
    ...fields,
  };
}

/** A mail interaction; `messageId` fills in its source unless a source is given. */
function mail(fields: Partial<Interaction> & { id: string; messageId?: string | null }): Interaction {
  const { messageId = `${fields.id}@mail.example.com`, ...rest } = fields;
  return interaction({
    kind: 'email',
    summary: 'Re: the renewal',
    linkReason: 'domain',
    direction: 'inbound',
    source: { provider: 'gmail', mailbox: 'ana@ours.com', providerId: `gm-${fields.id}`, messageId, threadId: 'th-1' },
    snippet: 'Hi Ana, about the renewal…',
    participants: ['jane@acme.com', 'ana@ours.com'],
    ...rest,
  });
}

function suggestion(fields: Partial<Suggestion> & { id: string; domain: string }): Suggestion {
  return {
    status: 'pending',
    firstSeenAt: '2025-03-01T00:00:00Z',
    lastSeenAt: '2025-03-01T00:00:00Z',
    messageCount: 1,
    people: [],
    seenBy: [],
    decidedAt: null,
    decidedBy: null,
    ...fields,
  };
}

function block(fields: Partial<Block> & { id: string }): Block {
  return { createdAt: '2025-03-01T00:00:00Z', createdBy: 'U1', ...fields };
}

function channelLink(fields: Partial<ChannelLink> & { id: string; customerId: string }): ChannelLink {
  return { linkedBy: 'U1', linkedAt: '2025-03-01T00:00:00Z', ...fields };
}

function mailbox(fields: Partial<Mailbox> & { id: string; address: string; memberId: string }): Mailbox {
  return {
    provider: 'gmail',
    status: 'active',
    refreshToken: 'v1.encrypted-token',
    cursor: null,
    watchExpiresAt: null,
    subscriptionId: null,
    lastSyncAt: null,
    loggedCount: 0,
    syncRequests: 0,
    lastError: null,
    lastErrorAt: null,
    backfill: null,
    connectedAt: '2025-03-01T00:00:00Z',
    ...fields,
  };
}

function reminder(fields: Partial<Reminder> & { id: string }): Reminder {
  return {
    customerId: 'cus_acme',
    ownerId: 'U1',
    text: 'Call Jane back',
    dueAt: '2025-03-10T09:00:00Z',
    status: 'open',
    deliveredAt: null,
    doneAt: null,
    createdAt: '2025-03-01T00:00:00Z',
    ...fields,
  };
}

function member(fields: Partial<Member> & { id: string; name: string }): Member {
  return { email: null, tz: null, role: 'rep', managerId: null, createdAt: '2025-01-01T00:00:00Z', profileCheckedAt: null, ...fields };
}

function poll(fields: Partial<Poll> & { id: string }): Poll {
  return {
    customerId: 'cus_acme',
    kind: 'csat',
    via: 'gmail',
    contactId: 'con_jane',
    email: 'jane@acme.com',
    channelId: null,
    caseId: null,
    askedBy: 'U1',
    status: 'sent',
    sendAt: '2025-03-01T09:00:00Z',
    sentAt: '2025-03-01T09:00:00Z',
    expiresAt: '2025-03-31T09:00:00Z',
    answers: [],
    error: null,
    createdAt: '2025-03-01T09:00:00Z',
    ...fields,
  };
}

function answer(fields: Partial<Poll['answers'][number]> & { respondent: string; updatedAt: string }): Poll['answers'][number] {
  return { score: 5, comment: null, answeredAt: fields.updatedAt, ...fields };
}

function supportCase(fields: Partial<Case> & { id: string }): Case {
  return {
    customerId: 'cus_acme',
    text: 'Invoice charged twice',
    openedBy: 'U1',
    openedAt: '2025-03-01T09:00:00Z',
    dueAt: '2025-03-03T09:00:00Z',
    status: 'open',
    escalatedAt: null,
    escalatedTo: null,
    closedAt: null,
    closedBy: null,
    closeNote: null,
    ...fields,
  };
}

function deal(fields: Partial<Deal> & { id: string }): Deal {
  const stage = fields.stage ?? 'proposal';
  const amount = fields.amount ?? 5000;
  const at = fields.updatedAt ?? '2025-03-01T09:00:00Z';
  return {
    customerId: 'cus_acme',
    name: 'Renewal 2025',
    amount,
    stage,
    createdBy: 'U1',
    createdAt: '2025-02-01T09:00:00Z',
    updatedAt: at,
    closedAt: null,
    history: [{ at, by: 'U1', stage, amount }],
    ...fields,
  };
}

function jobRun(fields: Partial<JobRun> & { id: string }): JobRun {
  return {
    runs: 1,
    lastStartedAt: '2025-03-10T09:00:00Z',
    lastFinishedAt: '2025-03-10T09:00:01Z',
    lastOutcome: 'ok',
    lastError: null,
    lastFailedAt: null,
    failuresInARow: 0,
    ...fields,
  };
}
