import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { isAlive } from '../../src/store/lowdb/store-lock.ts';

const run = promisify(execFile);

/**
 * Set it to a server where the tests may create and drop databases (a role
 * with CREATEDB), such as postgres://postgres@localhost:5432/postgres, to use
 * it instead of a cluster of the test run's own.
 */
export const testServerVariable = 'GUANXI_TEST_DATABASE_URL';

export interface TestDatabase {
  /** A URL for DATABASE_URL or openPostgresStore. */
  readonly url: string;
  /** Drops the database, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

export interface PostgresServer {
  /** A URL to the server's `postgres` database, for creating the others. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** GUANXI_TEST_DATABASE_URL's server if set, otherwise a throwaway cluster of this process's own (see startCluster). */
export async function startPostgresServer(): Promise<PostgresServer> {
  const given = process.env[testServerVariable]?.trim();
  if (given) return { adminUrl: given, stop: async () => undefined };
  return startCluster();
}

/** A new, empty database on `server`. */
export async function createDatabase(server: PostgresServer): Promise<TestDatabase> {
  const name = `guanxi_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(server.adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => void (await withAdmin(server.adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`))),
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const clusterPrefix = 'guanxi-pg-';

/**
 * initdb and pg_ctl into a temp folder named after this process, so that a
 * later run can tell a cluster whose test run died and remove it. PostgreSQL
 * refuses to run as root: as root, they run as the `postgres` user that
 * Debian's package creates, in a folder it owns.
 */
async function startCluster(): Promise<PostgresServer> {
  const bin = findBinaries();
  await removeAbandonedClusters(bin);
  const root = await mkdtemp(join(tmpdir(), `${clusterPrefix}${process.pid}-`));
  const data = join(root, 'data');
  const socketDir = join(root, 'socket');
  await mkdir(socketDir);
  const as = await runAs(root);
  const pgCtl = (...args: string[]) => as(join(bin, 'pg_ctl'), args);
  try {
    // No fsync: a throwaway cluster needs speed, not durability across a power cut.
    await as(join(bin, 'initdb'), ['--pgdata', data, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-sync']);
    const options = `-c listen_addresses='' -k ${socketDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await pgCtl('start', '--pgdata', data, '--wait', '--silent', '--log', join(root, 'postgres.log'), '-o', options);
  } catch (error) {
    const log = await readFile(join(root, 'postgres.log'), 'utf8').catch(() => '');
    await rm(root, { recursive: true, force: true });
    throw new Error(`Could not start a throwaway PostgreSQL cluster in ${root}: ${explain(error)}\n${log}`);
  }
  const adminUrl = new URL('postgres://postgres@localhost/postgres');
  adminUrl.searchParams.set('host', socketDir);
  return {
    adminUrl: adminUrl.toString(),
    async stop() {
      await pgCtl('stop', '--pgdata', data, '--mode', 'immediate', '--silent').catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The folder with initdb and pg_ctl: Debian's /usr/lib/postgresql/<newest>/bin, else the PATH. */
function findBinaries(): string {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = [...versions.map((v) => join(debian, v, 'bin')), ...(process.env['PATH'] ?? '').split(delimiter)];
  const found = candidates.find((dir) => dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found) return found;
  throw new Error(
    'The tests and the bench of the PostgreSQL store need a PostgreSQL server, and none is installed (no initdb or pg_ctl in /usr/lib/postgresql/*/bin or on the PATH). ' +
      'Install it with: apt-get install postgresql (Debian, Ubuntu), brew install postgresql (macOS); ' +
      `or set ${testServerVariable} to a server where the tests may create databases.`,
  );
}

/** Runs a PostgreSQL program as this user, or as `postgres` when this is root; chowns `root` to whoever that is. */
async function runAs(root: string): Promise<(file: string, args: string[]) => Promise<unknown>> {
  if (process.getuid?.() !== 0) return (file, args) => run(file, args);
  let ids: { uid: number; gid: number };
  try {
    const [uid, gid] = await Promise.all(['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout.trim())));
    ids = { uid: uid!, gid: gid! };
  } catch {
    throw new Error(
      'The tests run as root, and PostgreSQL refuses to: they run it as the user postgres, which does not exist here. ' +
        'Install PostgreSQL with: apt-get install postgresql (it creates that user).',
    );
  }
  for (const path of [root, join(root, 'socket')]) await chown(path, ids.uid, ids.gid);
  return (file, args) => run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: root });
}

/** Clusters left by test runs that were killed: their process is gone, so nobody else will stop them. */
async function removeAbandonedClusters(bin: string): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(new RegExp(`^${clusterPrefix}(\\d+)-`).exec(entry)?.[1]);
    if (!pid || isAlive(pid)) continue;
    const root = join(tmpdir(), entry);
    if (existsSync(join(root, 'data', 'postmaster.pid'))) {
      const as = await runAs(root).catch(() => null);
      await as?.(join(bin, 'pg_ctl'), ['stop', '--pgdata', join(root, 'data'), '--mode', 'immediate', '--silent']).catch(() => undefined);
    }
    await rm(root, { recursive: true, force: true });
  }
}


function explain(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : error instanceof Error ? error.message : String(error);
}
