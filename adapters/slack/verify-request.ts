import { verifySlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';

/**
 * Checks Slack's request signature against our clock before Bolt sees the
 * request, using Bolt's own verifier: a bad signature, or a timestamp more than
 * five minutes old, gets 401 and goes no further (PLATFORMS.md A1). The raw
 * bytes are handed on as `rawBody`, which Bolt's ExpressReceiver parses.
 */
export function verifyRequest(signingSecret: string, clock: Clock, log: Logger): RequestHandler[] {
  const check: RequestHandler = (req, res, next) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = raw.toString('utf8');
    const signature = req.header('x-slack-signature');
    const timestamp = Number(req.header('x-slack-request-timestamp'));
    // Slack's certificate checks are unsigned form posts that only want a 200.
    if (!signature && new URLSearchParams(body).get('ssl_check') === '1') {
      res.status(200).end();
      return;
    }
    try {
      if (!signature || !Number.isFinite(timestamp)) throw new Error('missing signature headers');
      verifySlackRequest({
        signingSecret,
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: clock.now().getTime(),
      });
    } catch (error) {
      log.warn('rejected a request to /slack/events that was not signed by Slack', error instanceof Error ? error.message : error);
      res.status(401).send('This request was not signed by Slack.');
      return;
    }
    Object.assign(req, { rawBody: raw });
    next();
  };
  return [express.raw({ type: () => true, limit: '1mb' }), check];
}
