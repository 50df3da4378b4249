import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../../support/service-process.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { usePostgres } from '../../support/postgres.ts';

const postgres = usePostgres();

describe('DATABASE_URL', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-database-url-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('selects the PostgreSQL store: the service migrates the database, serves, and writes nothing in DATA_DIR', async () => {
    const { url } = await postgres.createDatabase();
    const service = startService({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: url });

    const health = await fetch(`${await service.ready}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'postgres' });
    expect(service.output().stdout).toContain('PostgreSQL schema migrated: #1, #2, #3, #4, #5 applied');
    expect(await readdir(dataDir)).toEqual([]);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('stops the start with a sentence when the database cannot be reached, naming it without its password', async () => {
    const url = new URL((await postgres.createDatabase()).url);
    url.pathname = '/not_created_yet';
    url.password = 'hunter2';
    const service = startService({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: url.toString() });

    expect(await service.exited).toBe(1);
    const { stderr } = service.output();
    expect(stderr).toContain('guanxi cannot start. The configuration is not valid:');
    expect(stderr).toContain('DATABASE_URL: cannot use the database postgres@');
    expect(stderr).toContain('database "not_created_yet" does not exist');
    expect(stderr).not.toContain('hunter2');
  });

  it('must be a PostgreSQL URL', () => {
    const error = (() => {
      try {
        return loadConfig({ DATABASE_URL: 'mysql://localhost/guanxi' });
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'DATABASE_URL must be a PostgreSQL URL such as postgres://guanxi:password@db.example.com:5432/guanxi (or unset it to keep the data in DATA_DIR)',
    ]);
    expect(loadConfig({ DATABASE_URL: 'postgresql://guanxi@db.example.com/guanxi' }).databaseUrl).toBe('postgresql://guanxi@db.example.com/guanxi');
    expect(loadConfig({}).databaseUrl).toBeNull();
  });
});
