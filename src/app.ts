import { systemClock, type Clock } from './clock.ts';
import type { CommandContext } from './commands/context.ts';
import type { Config } from './config.ts';
import { randomIds, type IdGenerator } from './ids.ts';
import { deliverReminders } from './jobs/deliver-reminders.ts';
import type { Job } from './jobs/scheduler.ts';
import { consoleLogger, type Logger } from './logger.ts';
import type { Notifier } from './notifier.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import type { Directory } from './team/directory.ts';
import { ensureMember } from './team/ensure-member.ts';

/** What the core is made of; tests pass a fixed clock and their own ids. */
export interface CoreDeps {
  clock?: Clock;
  ids?: IdGenerator;
  log?: Logger;
}

/** The core, assembled from the config: the store and everything the front ends share. */
export interface Core {
  config: Config;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** The context a command runs in, for the person with this user id (created on first use). */
  contextFor(userId: string, directory: Directory, fallbackName?: string): Promise<CommandContext>;
  /** The scheduled jobs; reminders only when there is a way to reach people. */
  jobs(notifier: Notifier | null): Job[];
  close(): Promise<void>;
}

export async function openCore(config: Config, deps: CoreDeps = {}): Promise<Core> {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const log = deps.log ?? consoleLogger;
  const store = await openStore(config);
  return {
    config,
    store,
    clock,
    ids,
    log,
    async contextFor(userId, directory, fallbackName) {
      const actor = await ensureMember({ store, directory, clock }, userId, fallbackName);
      return { store, clock, ids, directory, actor, defaultTimeZone: config.defaultTimeZone };
    },
    jobs: (notifier) => [
      // Every minute: a reminder is due to the minute the user asked for. Without
      // Slack they wait, undelivered, until it is connected.
      ...(notifier ? [{ name: 'reminders', schedule: '* * * * *', run: async () => void (await deliverReminders({ store, clock, notifier, log })) }] : []),
      // Slack stops retrying an event within the hour; a day of event ids is plenty.
      { name: 'prune-deliveries', schedule: '17 3 * * *', run: async () => void (await store.deliveries.prune(new Date(clock.now().getTime() - 86_400_000))) },
    ],
    close: () => store.close(),
  };
}
