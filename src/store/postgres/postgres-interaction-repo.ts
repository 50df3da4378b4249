import { interactionSchema, type Interaction, type MessageSource } from '../../domain/interaction.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { InteractionRepo } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';
import { byCustomerId, SameTurn } from './same-turn.ts';

export const interactionsTable: TableDefinition<Interaction> = {
  name: 'interactions',
  noun: 'interaction',
  schema: interactionSchema,
  columns: [
    { name: 'customer_id', type: 'text', value: (interaction) => interaction.customerId },
    { name: 'occurred_at', type: 'timestamptz', value: (interaction) => interaction.occurredAt },
    { name: 'logged_at', type: 'timestamptz', value: (interaction) => interaction.loggedAt },
    { name: 'linked', type: 'boolean', value: (interaction) => interaction.unlinkedAt === null },
    { name: 'message_id', type: 'text', value: (interaction) => interaction.source?.messageId ?? null },
    { name: 'message_key', type: 'text', value: (interaction) => messageKey(interaction.source) },
  ],
};

/** The timeline order: when it happened, then when it was logged, then the later write. */
const newestFirst = 'order by occurred_at desc, logged_at desc, seq desc';

export class PostgresInteractionRepo implements InteractionRepo {
  readonly #rows: Rows<Interaction>;
  /** By how many are read: the timelines asked for in the same turn, in one query. */
  readonly #newest = new Map<number, SameTurn<Interaction>>();

  constructor(db: Database) {
    this.#rows = new Rows(db, interactionsTable);
  }

  get(id: string): Promise<Interaction | null> {
    return this.#rows.get(id);
  }

  byCustomer(customerId: string, limit: number): Promise<Interaction[]> {
    const count = Math.max(0, limit);
    let newest = this.#newest.get(count);
    if (!newest) this.#newest.set(count, (newest = new SameTurn((customerIds) => this.#newestOf(customerIds, count))));
    return newest.get(customerId);
  }

  /** The newest `limit` linked interactions of each customer, by the timeline index, in one query. */
  async #newestOf(customerIds: readonly string[], limit: number): Promise<Map<string, Interaction[]>> {
    const query = `select i.record from unnest($1::text[]) with ordinality as c(id, n)
      cross join lateral (select record, occurred_at, logged_at, seq from interactions where customer_id = c.id and linked ${newestFirst} limit $2) i
      order by c.n, i.occurred_at desc, i.logged_at desc, i.seq desc`;
    return byCustomerId(await this.#rows.selectRecords(query, [customerIds, limit]));
  }

  async countByCustomer(customerId: string): Promise<number> {
    const { rows } = await this.#rows.db.query<{ count: number }>('select count(*)::int as count from interactions where customer_id = $1 and linked', [customerId]);
    return rows[0]?.count ?? 0;
  }

  recentByCustomers(customerIds: readonly string[], since: Date): Promise<Interaction[]> {
    return this.#rows.select(
      'where linked and customer_id = any($1::text[]) and occurred_at >= $2::timestamptz order by occurred_at desc, logged_at desc, seq desc',
      [[...new Set(customerIds)], since.toISOString()],
    );
  }

  async countsByCustomer(): Promise<Map<string, number>> {
    const { rows } = await this.#rows.db.query<{ customer_id: string; count: number }>(
      'select customer_id, count(*)::int as count from interactions where linked group by customer_id',
    );
    return new Map(rows.map((row) => [row.customer_id, row.count]));
  }

  byMessageId(messageId: string): Promise<Interaction[]> {
    return this.#rows.select('where message_id = $1 order by id', [normalizeAddress(messageId)]);
  }

  async insert(input: Interaction): Promise<void> {
    const interaction = this.#prepare(input);
    try {
      await this.#rows.insert([interaction]);
    } catch (error) {
      throw this.#conflict(error, interaction.id);
    }
  }

  /**
   * One statement inserts the batch; the unique (customer, message key)
   * constraint leaves out, atomically, every message already on that
   * customer's timeline, whoever wrote it, even a concurrent call on another
   * instance. A reused id fails the whole statement, so nothing is inserted.
   */
  async insertMessages(inputs: Interaction[]): Promise<Interaction[]> {
    const fresh: Interaction[] = [];
    const keys = new Set<string>();
    const ids = new Set<string>();
    for (const interaction of inputs.map((input) => this.#prepare(input))) {
      const key = messageKey(interaction.source);
      if (key === null) throw new Error(`insertMessages logs messages; the interaction ${interaction.id} has no source.`);
      if (keys.has(`${interaction.customerId}\n${key}`)) continue;
      if (ids.has(interaction.id)) throw new ConflictError(`An interaction with the id ${interaction.id} already exists.`);
      keys.add(`${interaction.customerId}\n${key}`);
      ids.add(interaction.id);
      fresh.push(interaction);
    }
    if (fresh.length === 0) return [];
    // Written in key order, so that two batches sharing messages wait on each other in one order and never deadlock.
    const byKey = [...fresh].sort((a, b) => compare(`${a.customerId}\n${messageKey(a.source)}`, `${b.customerId}\n${messageKey(b.source)}`));
    let inserted: Set<string>;
    try {
      inserted = await this.#rows.insert(byKey, { onConflict: 'on conflict on constraint interactions_message_key do nothing' });
    } catch (error) {
      if (!isUniqueViolation(error, 'interactions_pkey')) throw error;
      const { rows } = await this.#rows.db.query<{ id: string }>('select id from interactions where id = any($1::text[]) order by id limit 1', [[...ids]]);
      throw new ConflictError(`An interaction with the id ${rows[0]?.id ?? 'of one of these messages'} already exists.`);
    }
    return fresh.filter((interaction) => inserted.has(interaction.id));
  }

  async update(input: Interaction): Promise<void> {
    const interaction = this.#prepare(input);
    let updated: boolean;
    try {
      // A new seq: like a new write, it reads as newer than the interactions it ties with.
      updated = await this.#rows.update(interaction, { also: 'seq = default' });
    } catch (error) {
      throw this.#conflict(error, interaction.id);
    }
    if (!updated) throw new NotFoundError(`There is no interaction with the id ${interaction.id}.`);
  }

  /** In one transaction: the copies of messages `toId` already has are deleted, then the rest moves. */
  moveCustomer(fromId: string, toId: string): Promise<{ moved: number; alreadyThere: number }> {
    return this.#rows.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `delete from interactions f where f.customer_id = $1 and f.message_key is not null
           and exists (select 1 from interactions t where t.customer_id = $2 and t.message_key = f.message_key)`,
        [fromId, toId],
      );
      const moved = await this.#rows.moveCustomer(fromId, toId, tx);
      return { moved, alreadyThere: rowCount ?? 0 };
    });
  }

  /** Addresses and the Message-ID lower-cased, as lookups use them. */
  #prepare(input: Interaction): Interaction {
    const source: MessageSource | null | undefined = input.source
      ? { ...input.source, messageId: normalizeAddresses(input.source.messageId) }
      : input.source;
    return this.#rows.prepare({ ...input, participants: normalizeAddresses(input.participants), source });
  }

  #conflict(error: unknown, id: string): unknown {
    if (isUniqueViolation(error, 'interactions_pkey')) return new ConflictError(`An interaction with the id ${id} already exists.`);
    if (isUniqueViolation(error, 'interactions_message_key')) return new ConflictError(`That message is already on the customer's timeline; it is not logged twice (interaction ${id}).`);
    return error;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What makes two interactions one message on a timeline; null for an interaction that is no message. */
function messageKey(source: MessageSource | null): string | null {
  if (source === null) return null;
  return source.messageId !== null ? `id ${source.messageId}` : `${source.provider} ${source.providerId}`;
}
