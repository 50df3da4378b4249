import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Guanxi, people } from '../../support/guanxi.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();

/** The database takes reads but refuses to record a digest, as a full disk or a lost privilege would. */
async function refuseDigestRecords(url: string, refuse: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (refuse) {
      await client.query(`create function refuse_digest() returns trigger language plpgsql as $$ begin raise exception 'could not extend file: No space left on device'; end $$`);
      await client.query('create trigger refuse_digest before insert on digests for each row execute function refuse_digest()');
    } else {
      await client.query('drop trigger refuse_digest on digests');
    }
  } finally {
    await client.end();
  }
}

describe('a digest the store cannot record', () => {
  let guanxi: Guanxi;
  afterEach(() => guanxi.stop());

  it('is not sent while its record is refused, then goes once when the store takes it again', async () => {
    const database = await postgres.createDatabase();
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { databaseUrl: database.url });
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    const digestsToAna = () => guanxi.slack.postsTo(people.ana.id);
    await refuseDigestRecords(database.url, true);

    // Thursday 3 December, 08:00 to 08:02 in Los Angeles: the job runs each minute.
    for (const at of ['2026-12-03T16:00:00Z', '2026-12-03T16:01:00Z', '2026-12-03T16:02:00Z']) {
      guanxi.clock.set(at);
      await guanxi.server.scheduler.run('digests');
    }

    expect(digestsToAna()).toEqual([]);
    expect(guanxi.log.lines.filter((line) => line.includes(`the digest for ${people.ana.id} could not be sent`))).toHaveLength(3);
    expect(guanxi.log.lines.at(-1)).toContain('No space left on device');

    await refuseDigestRecords(database.url, false);
    for (const at of ['2026-12-03T16:03:00Z', '2026-12-03T16:04:00Z']) {
      guanxi.clock.set(at);
      await guanxi.server.scheduler.run('digests');
    }

    expect(digestsToAna()).toHaveLength(1);
    expect(await guanxi.server.core.store.digests.get(people.ana.id, '2026-12-03')).toMatchObject({ sentAt: '2026-12-03T16:03:00.000Z' });
  });
});
