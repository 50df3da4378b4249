import type { JobRun } from '../../domain/job-run.ts';
import type { JobRunRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareIds } from './compare-instants.ts';

export class LowdbJobRunRepo implements JobRunRepo {
  readonly #records: Collection<JobRun>;

  constructor(records: Collection<JobRun>) {
    this.#records = records;
  }

  async get(name: string): Promise<JobRun | null> {
    return this.#records.get(name) ?? null;
  }

  async list(): Promise<JobRun[]> {
    return Array.from(this.#records.values()).sort((a, b) => compareIds(a.id, b.id));
  }

  async put(run: JobRun): Promise<void> {
    await this.#records.set(this.#records.prepare(run));
  }
}
