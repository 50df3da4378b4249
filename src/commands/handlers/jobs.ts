import { nextRun } from '../../jobs/next-run.ts';
import { replyOf, textReply, type Reply } from '../../reply.ts';
import { requireAdmin } from '../../team/require-admin.ts';
import { formatInZone } from '../../time/zoned.ts';
import { zoneOf, type CommandContext } from '../context.ts';
import { relative } from '../render/format.ts';

/** `/crm jobs`: for admins, what each scheduled job did last and when it runs next, failures first. */
export async function listJobs(ctx: CommandContext): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'see the scheduled jobs');
  if (ctx.jobs.length === 0) return textReply('No jobs are scheduled here: jobs run in the service (npm start), not in the terminal.');
  const now = ctx.clock.now();
  const tz = zoneOf(ctx, ctx.actor);
  const at = (instant: string | Date) => `${formatInZone(new Date(instant), tz, now)} (${relative(new Date(instant), now)})`;
  const runs = new Map((await ctx.store.jobRuns.list()).map((run) => [run.id, run]));
  const lines = ctx.jobs.map((job) => {
    const run = runs.get(job.name);
    const next = nextRun(job.schedule, now);
    const parts = [
      `*${job.name}*: ${job.description}.`,
      run?.lastStartedAt ? `Last run ${at(run.lastStartedAt)}, ${run.lastOutcome === 'failed' ? '*failed*' : run.lastOutcome === 'ok' ? 'ok' : 'still running'}; ${run.runs} runs in all.` : 'Not run yet.',
      next ? `Next ${at(next)}.` : '',
      run?.lastError && run.lastFailedAt
        ? `Last failure ${at(run.lastFailedAt)}: ${run.lastError}${run.failuresInARow > 1 ? ` (${run.failuresInARow} failures in a row)` : ''}.`
        : '',
    ];
    return { failing: run?.lastOutcome === 'failed', text: parts.filter(Boolean).join(' ') };
  });
  const failing = lines.filter((line) => line.failing).length;
  return replyOf([
    { type: 'heading', text: failing > 0 ? `Scheduled jobs: ${failing} failing` : 'Scheduled jobs: all well' },
    { type: 'list', title: null, items: [...lines.filter((l) => l.failing), ...lines.filter((l) => !l.failing)].map((l) => l.text) },
    { type: 'context', text: `Times in ${tz}. Schedules run in UTC; each job runs once at a time across every guanxi sharing this store.` },
  ]);
}
