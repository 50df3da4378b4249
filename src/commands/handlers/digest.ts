import { buildDigest } from '../../digest/build-digest.ts';
import { defaultDigestTime } from '../../digest/send-digests.ts';
import { textReply, type Reply } from '../../reply.ts';
import { zoneOf, type CommandContext } from '../context.ts';

/** `/crm digest`: today's digest, now, whether or not it was sent. */
export async function showDigest(ctx: CommandContext): Promise<Reply> {
  return (await buildDigest(ctx, ctx.actor)).reply;
}

/** `/crm digest time <time>` */
export async function setDigestTime(ctx: CommandContext, time: string): Promise<Reply> {
  await ctx.store.members.put({ ...ctx.actor, digest: { time, off: false } });
  return textReply(`Your digest now comes at ${time} on working days, ${zoneOf(ctx, ctx.actor)} time. See it any time with /crm digest.`);
}

/** `/crm digest off`, `/crm digest on` */
export async function switchDigest(ctx: CommandContext, on: boolean): Promise<Reply> {
  const time = ctx.actor.digest?.time ?? defaultDigestTime;
  await ctx.store.members.put({ ...ctx.actor, digest: { time, off: !on } });
  return textReply(
    on
      ? `Your digest comes again at ${time} on working days, ${zoneOf(ctx, ctx.actor)} time.`
      : 'Your daily digest is off. You can still see it with /crm digest, and turn it back on with /crm digest on.',
  );
}
