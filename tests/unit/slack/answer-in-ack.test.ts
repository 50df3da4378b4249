import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ackWindowMs, answerInAck } from '../../../adapters/slack/answer-in-ack.ts';

/** What Slack received: the ack (a body, or undefined for a bare one), and any post to the response_url. */
function slack() {
  const seen = { acks: [] as (string | undefined)[], responses: [] as string[] };
  return {
    seen,
    ack: async (message?: string) => void seen.acks.push(message),
    respond: async (message: string) => void seen.responses.push(message),
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('answering a slash command', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('puts a reply that is ready in time in the ack, and posts nothing more', async () => {
    const to = slack();
    await answerInAck(Promise.resolve('the card'), to);
    expect(to.seen).toEqual({ acks: ['the card'], responses: [] });
  });

  it('acknowledges bare when the window closes, well within Slack\'s 3 s, and posts the reply when it is ready', async () => {
    const to = slack();
    const reply = deferred<string>();
    const answered = answerInAck(reply.promise, to);
    await vi.advanceTimersByTimeAsync(ackWindowMs - 1);
    expect(to.seen.acks).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(to.seen).toEqual({ acks: [undefined], responses: [] });
    expect(ackWindowMs).toBeLessThan(3000);
    reply.resolve('the slow card');
    await answered;
    expect(to.seen).toEqual({ acks: [undefined], responses: ['the slow card'] });
  });

  it('acknowledges a failure bare, and hands it on for the error handler to tell the user', async () => {
    for (const lateBy of [0, ackWindowMs + 1]) {
      const to = slack();
      const reply = deferred<string>();
      const answered = answerInAck(reply.promise, to);
      const failed = expect(answered).rejects.toThrow('our bug');
      await vi.advanceTimersByTimeAsync(lateBy);
      reply.reject(new Error('our bug'));
      await failed;
      expect(to.seen).toEqual({ acks: [undefined], responses: [] });
    }
  });
});
