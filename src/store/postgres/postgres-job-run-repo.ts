import { jobRunSchema, type JobRun } from '../../domain/job-run.ts';
import type { JobRunRepo } from '../store.ts';
import type { Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const jobRunsTable: TableDefinition<JobRun> = {
  name: 'job_runs',
  noun: 'job run',
  schema: jobRunSchema,
  columns: [],
};

export class PostgresJobRunRepo implements JobRunRepo {
  readonly #rows: Rows<JobRun>;

  constructor(db: Database) {
    this.#rows = new Rows(db, jobRunsTable);
  }

  get(name: string): Promise<JobRun | null> {
    return this.#rows.get(name);
  }

  list(): Promise<JobRun[]> {
    return this.#rows.select('order by id', []);
  }

  put(run: JobRun): Promise<void> {
    return this.#rows.upsert(this.#rows.prepare(run));
  }
}
