import { escalateOverdueCases } from './cases/escalate-cases.ts';
import { systemClock, type Clock } from './clock.ts';
import type { CommandContext } from './commands/context.ts';
import type { Config } from './config.ts';
import { randomIds, type IdGenerator } from './ids.ts';
import { sendDigests } from './digest/send-digests.ts';
import { deliverReminders } from './jobs/deliver-reminders.ts';
import { onceAcrossInstances, type Job, type JobInfo } from './jobs/scheduler.ts';
import { consoleLogger, type Logger } from './logger.ts';
import type { MailConnector } from './mail/mail-port.ts';
import { createMailService, type MailService } from './mail/mail-service.ts';
import { secretsFrom } from './mail/secrets.ts';
import type { Notifier } from './notifier.ts';
import { pollLinks } from './polls/poll-links.ts';
import { createPollService, type PollService } from './polls/poll-service.ts';
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

/** What the adapters bring: a way to reach people, and the mail providers that are configured. */
export interface Platform {
  notifier: Notifier | null;
  mailConnectors: MailConnector[];
}

/** The core, assembled from the config: the store and everything the front ends share. */
export interface Core {
  config: Config;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Null when no mail provider is configured. */
  mail: MailService | null;
  notifier: Notifier | null;
  /** The scheduled jobs, once started. */
  jobs: readonly JobInfo[];
  /** Null until `start`. */
  polls: PollService | null;
  /** Connects the adapters; returns the scheduled jobs. Called once, before serving. */
  start(platform: Platform): Job[];
  /** The context a command runs in, for the person with this user id (created on first use). */
  contextFor(userId: string, directory: Directory, fallbackName?: string): Promise<CommandContext>;
  /** Lets background work reach a safe point, then closes the store. */
  close(): Promise<void>;
}

export async function openCore(config: Config, deps: CoreDeps = {}): Promise<Core> {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const log = deps.log ?? consoleLogger;
  const store = await openStore(config, log);
  const core: Core = {
    config,
    store,
    clock,
    ids,
    log,
    mail: null,
    notifier: null,
    jobs: [],
    polls: null,
    start({ notifier, mailConnectors }) {
      core.notifier = notifier;
      if (mailConnectors.length > 0 && config.encryptionKey) {
        core.mail = createMailService({
          store, clock, ids, log, notifier,
          connectors: new Map(mailConnectors.map((c) => [c.provider, c])),
          secrets: secretsFrom(config.encryptionKey),
          internalDomains: config.internalDomains,
          backfillDays: config.backfillDays,
          publicUrl: config.publicUrl,
        });
        void core.mail.resumeBackfills();
      }
      const mail = core.mail;
      const polls = createPollService({
        store, clock, ids, log, notifier, mail,
        links: config.encryptionKey ? pollLinks(config.encryptionKey, config.publicUrl) : null,
        defaultTimeZone: config.defaultTimeZone,
      });
      core.polls = polls;
      // Every instance on one PostgreSQL database schedules every job; the store lets one run it at a time.
      const jobs = onceAcrossInstances([
        // Every minute: a reminder is due to the minute the user asked for. Without
        // Slack they wait, undelivered, until it is connected.
        ...(notifier
          ? [{ name: 'reminders', schedule: '* * * * *', description: 'Sends the reminders that have come due', run: async () => void (await deliverReminders({ store, clock, notifier, log, defaultTimeZone: config.defaultTimeZone })) }]
          : []),
        // Every minute: an open case goes to the owner's manager the minute it passes its
        // deadline. Without Slack, cases wait un-escalated until it is connected.
        ...(notifier
          ? [{ name: 'case-escalations', schedule: '* * * * *', description: "Tells the owner's manager of each case that has passed its deadline", run: async () => void (await escalateOverdueCases({ store, clock, notifier, log, defaultTimeZone: config.defaultTimeZone })) }]
          : []),
        // Every minute: each person's digest is due at their own time in their own zone.
        ...(notifier
          ? [{
              name: 'digests',
              schedule: '* * * * *',
              description: "Sends each person's morning digest at their own time, on working days",
              run: async () => void (await sendDigests({ store, clock, notifier, log, defaultTimeZone: config.defaultTimeZone, internalDomains: config.internalDomains })),
            }]
          : []),
        // Every minute: a poll held for a contact's preferred hours goes when they begin.
        { name: 'polls', schedule: '* * * * *', description: "Sends the polls held for a contact's preferred hours once they begin", run: () => polls.sendDue() },
        // Google asks for a daily watch renewal; a lapsed watch stops the pushes.
        ...(mail ? [{ name: 'mail-watch', schedule: '23 4 * * *', description: 'Renews the mail watches and catches up any mail a notification missed', run: () => mail.renewWatches() }] : []),
        // Slack stops retrying an event within the hour; a day of event ids is plenty.
        {
          name: 'prune-deliveries',
          schedule: '17 3 * * *',
          description: 'Forgets the Slack event ids of deliveries older than a day',
          run: async () => void (await store.deliveries.prune(new Date(clock.now().getTime() - 86_400_000))),
        },
      ], { store, clock });
      core.jobs = jobs.map(({ name, schedule, description }) => ({ name, schedule, description }));
      return jobs;
    },
    async contextFor(userId, directory, fallbackName) {
      const actor = await ensureMember({ store, directory, clock }, userId, fallbackName);
      return { store, clock, ids, directory, actor, defaultTimeZone: config.defaultTimeZone, internalDomains: config.internalDomains, mail: core.mail, notifier: core.notifier, jobs: core.jobs, polls: core.polls };
    },
    async close() {
      await core.mail?.idle({ stop: true });
      await store.close();
    },
  };
  return core;
}
