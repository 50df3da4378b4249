import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.ts';
import type { JobRun } from '../domain/job-run.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';

/** What `/crm jobs` says of a job besides its runs. */
export interface JobInfo {
  name: string;
  /** A cron expression (node-cron syntax), read in UTC. */
  schedule: string;
  /** What it does, for an admin: "Sends the reminders that have come due". */
  description: string;
}

/** A scheduled piece of work. `run` decides from the clock it was given, so a late or repeated run is harmless. */
export interface Job extends JobInfo {
  run(): Promise<void>;
}

/**
 * The jobs, each made to run once at a time across every instance that shares
 * the store (its `runOnce`): an instance whose timer fires while another runs
 * the job skips that run. A run that starts after another finished goes
 * ahead, which is harmless, as for any late or repeated run (see Job). Each
 * run is recorded in the store, with its failure if it failed, for `/crm jobs`.
 */
export function onceAcrossInstances(jobs: Job[], deps: { store: Store; clock: Clock }): Job[] {
  return jobs.map((job) => ({ ...job, run: async () => void (await deps.store.runOnce(job.name, () => recorded(job, deps))) }));
}

async function recorded(job: Job, { store, clock }: { store: Store; clock: Clock }): Promise<void> {
  const before: JobRun = (await store.jobRuns.get(job.name)) ?? {
    id: job.name, runs: 0, lastStartedAt: null, lastFinishedAt: null, lastOutcome: null, lastError: null, lastFailedAt: null, failuresInARow: 0,
  };
  const started: JobRun = { ...before, runs: before.runs + 1, lastStartedAt: clock.now().toISOString(), lastOutcome: null };
  await store.jobRuns.put(started);
  try {
    await job.run();
  } catch (error) {
    const at = clock.now().toISOString();
    const message = error instanceof Error ? error.message : String(error);
    await store.jobRuns.put({ ...started, lastFinishedAt: at, lastOutcome: 'failed', lastError: message, lastFailedAt: at, failuresInARow: started.failuresInARow + 1 });
    throw error;
  }
  await store.jobRuns.put({ ...started, lastFinishedAt: clock.now().toISOString(), lastOutcome: 'ok', failuresInARow: 0 });
}

export interface Scheduler {
  /** Runs a job now, as its timer would; the same job never runs twice at once. */
  run(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The thin shell around jobs: node-cron fires them, and nothing else lives
 * here. Expressions are checked now, at start, not when they first fire.
 */
export function startScheduler(jobs: Job[], log: Logger): Scheduler {
  const running = new Map<string, Promise<void>>();
  const byName = new Map(jobs.map((job) => [job.name, job]));

  const run = (name: string): Promise<void> => {
    const job = byName.get(name);
    if (!job) throw new Error(`no job called ${name}`);
    const current = running.get(name);
    if (current) return current;
    const execution = job
      .run()
      .catch((error: unknown) => log.error(`job ${name} failed`, error))
      .finally(() => running.delete(name));
    running.set(name, execution);
    return execution;
  };

  const tasks: ScheduledTask[] = jobs.map((job) => {
    if (!cron.validate(job.schedule)) throw new Error(`job ${job.name} has an invalid schedule "${job.schedule}"`);
    return cron.schedule(job.schedule, () => run(job.name), { name: job.name, noOverlap: true, timezone: 'UTC' });
  });

  return {
    run,
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.all(running.values());
    },
  };
}
