import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextRun } from '../../../src/jobs/next-run.ts';
import { onceAcrossInstances, startScheduler, type Job } from '../../../src/jobs/scheduler.ts';
import { openLowdbStore } from '../../../src/store/lowdb/open-lowdb-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { FixedClock } from '../../support/fixed-clock.ts';
import { Guanxi, MemoryLog, people } from '../../support/guanxi.ts';

describe('/crm jobs', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    // Wednesday 2 December 2026, 09:00:30 in Los Angeles, where Ana, the admin, is.
    guanxi = await Guanxi.start('2026-12-02T17:00:30Z');
    await guanxi.crm(people.ana.id, 'help');
  });
  afterEach(() => guanxi.stop());

  it('shows an admin each job, its last run and its next one, in her own zone', async () => {
    const before = await guanxi.crmText(people.ana.id, 'jobs');
    expect(before).toContain('Scheduled jobs: all well');
    expect(before).toContain('*reminders*: Sends the reminders that have come due. Not run yet. Next Wed 2 Dec, 09:01 (just now).');
    expect(before).toContain('*prune-deliveries*: Forgets the Slack event ids of deliveries older than a day. Not run yet. Next Wed 2 Dec, 19:17 (in 10 hours).');

    await guanxi.server.scheduler.run('reminders');
    guanxi.clock.advance(60_000);
    await guanxi.server.scheduler.run('reminders');

    expect(await guanxi.crmText(people.ana.id, 'jobs')).toContain('*reminders*: Sends the reminders that have come due. Last run Wed 2 Dec, 09:01 (just now), ok; 2 runs in all. Next Wed 2 Dec, 09:02 (just now).');
  });

  it('refuses anyone but an admin, naming whom to ask', async () => {
    expect(await guanxi.crmText(people.bo.id, 'jobs')).toBe('Only an admin can see the scheduled jobs. Ask Ana Lima.');
  });
});

describe('job runs', () => {
  let dir: string;
  let store: Store;
  const clock = new FixedClock('2026-12-02T17:00:00Z');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guanxi-jobs-'));
    store = await openLowdbStore(dir, { log: new MemoryLog() });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records each run and keeps the last failure, with how many in a row, after a later success', async () => {
    let failing = true;
    const log = new MemoryLog();
    const flaky: Job = {
      name: 'flaky',
      schedule: '* * * * *',
      description: 'Fails until told not to',
      run: async () => {
        clock.advance(1000);
        if (failing) throw new Error('Slack is down');
      },
    };
    const scheduler = startScheduler(onceAcrossInstances([flaky], { store, clock }), log);
    try {
      await scheduler.run('flaky');
      await scheduler.run('flaky');
      expect(await store.jobRuns.get('flaky')).toEqual({
        id: 'flaky', runs: 2, lastStartedAt: '2026-12-02T17:00:01.000Z', lastFinishedAt: '2026-12-02T17:00:02.000Z',
        lastOutcome: 'failed', lastError: 'Slack is down', lastFailedAt: '2026-12-02T17:00:02.000Z', failuresInARow: 2,
      });
      expect(log.lines.filter((line) => line.startsWith('error job flaky failed'))).toHaveLength(2);

      failing = false;
      await scheduler.run('flaky');
      expect(await store.jobRuns.get('flaky')).toMatchObject({ runs: 3, lastOutcome: 'ok', lastError: 'Slack is down', lastFailedAt: '2026-12-02T17:00:02.000Z', failuresInARow: 0 });
    } finally {
      await scheduler.stop();
    }
  });

  it('finds the next minute a schedule matches, in UTC', () => {
    expect(nextRun('* * * * *', new Date('2026-12-02T17:00:30Z'))).toEqual(new Date('2026-12-02T17:01:00Z'));
    expect(nextRun('23 4 * * *', new Date('2026-12-02T04:23:00Z'))).toEqual(new Date('2026-12-03T04:23:00Z'));
    expect(nextRun('0 8 * * 1-5', new Date('2026-12-04T09:00:00Z'))).toEqual(new Date('2026-12-07T08:00:00Z'));
  });
});
