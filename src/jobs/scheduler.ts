import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';

/** A scheduled piece of work. `run` decides from the clock it was given, so a late or repeated run is harmless. */
export interface Job {
  name: string;
  /** A cron expression (node-cron syntax, with optional seconds). */
  schedule: string;
  run(): Promise<void>;
}

/** Runs a job unless another instance sharing the data is running it: the Store's `runOnce`. */
export interface RunCoordinator {
  runOnce(name: string, work: () => Promise<void>): Promise<boolean>;
}

/**
 * The jobs, each made to run once at a time across every instance that shares
 * `coordinator`: an instance whose timer fires while another runs the job
 * skips that run. A run that starts after another finished goes ahead, which
 * is harmless, as for any late or repeated run (see Job).
 */
export function onceAcrossInstances(jobs: Job[], coordinator: RunCoordinator): Job[] {
  return jobs.map((job) => ({ ...job, run: async () => void (await coordinator.runOnce(job.name, () => job.run())) }));
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
    return cron.schedule(job.schedule, () => run(job.name), { name: job.name, noOverlap: true });
  });

  return {
    run,
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.all(running.values());
    },
  };
}
