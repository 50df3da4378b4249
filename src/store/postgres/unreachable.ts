import pg from 'pg';
import { ConfigError } from '../../errors.ts';
import { describeDatabase } from './describe-database.ts';

/** PostgreSQL's codes for a refused login or a missing database: problems of the URL, not of guanxi. */
const loginCodes = new Set(['28000', '28P01', '3D000']);

/**
 * A ConfigError saying how to fix DATABASE_URL, when `error` means that the
 * database could not be reached or entered (no server there, a wrong
 * password, no such database); null for any other error.
 */
export function unreachable(error: unknown, url: string): ConfigError | null {
  const code = (error as { code?: unknown }).code;
  const network = !(error instanceof pg.DatabaseError) && typeof code === 'string' && /^E[A-Z]+$/.test(code);
  const login = error instanceof pg.DatabaseError && loginCodes.has(error.code ?? '');
  if (!network && !login) return null;
  return new ConfigError([
    `DATABASE_URL: cannot use the database ${describeDatabase(url)}: ${(error as Error).message}. ` +
      'Check that PostgreSQL runs there and that the URL has the right host, port, user, password and database (create it with createdb).',
  ]);
}
