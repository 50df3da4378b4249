/**
 * Slack shows a text or JSON ack body as the reply (ephemeral unless it says
 * otherwise), and waits 3 s for the ack (PLATFORMS.md A2). A reply ready well
 * within that goes in the ack: one HTTP exchange instead of two, as Slack
 * advises for fast commands. A slower one is acknowledged bare when this
 * window closes, and posted to the response_url when it is ready.
 */
export const ackWindowMs = 2000;

/**
 * Answers one slash command with `reply`: in the ack if it settles within
 * `windowMs`, else by `respond` after a bare ack. A failure is acknowledged
 * bare and rethrown, for the error handler to tell the user at the response_url.
 */
export async function answerInAck<M>(
  reply: Promise<M>,
  slack: { ack(message?: M): Promise<void>; respond(message: M): Promise<unknown> },
  windowMs: number = ackWindowMs,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), windowMs);
  });
  const ready = await Promise.race([reply.then((message) => ({ message }), () => null), closed]);
  clearTimeout(timer);
  if (ready) {
    await slack.ack(ready.message);
    return;
  }
  await slack.ack();
  await slack.respond(await reply);
}
