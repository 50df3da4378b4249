import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';

const verifyErrorPrefix = 'Failed to verify authenticity';
const maxAgeMinutes = 5;

/**
 * Checks Slack's request signature against our clock before Bolt sees the
 * request: a bad signature, or a timestamp more than five minutes old, gets
 * 401 and goes no further (PLATFORMS.md A1). The raw bytes are handed on as
 * `rawBody`, which Bolt's ExpressReceiver parses.
 */
export function verifyRequest(signingSecret: string, clock: Clock, log: Logger): RequestHandler[] {
  const verify = slackVerifier(signingSecret);
  const check: RequestHandler = (req, res, next) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header('x-slack-signature');
    const timestamp = Number(req.header('x-slack-request-timestamp'));
    // Slack's certificate checks are unsigned form posts that only want a 200.
    if (!signature && new URLSearchParams(raw.toString('utf8')).get('ssl_check') === '1') {
      res.status(200).end();
      return;
    }
    try {
      if (!signature || !Number.isFinite(timestamp)) throw new Error('missing signature headers');
      verify(raw, signature, timestamp, clock.now().getTime());
    } catch (error) {
      log.warn(`rejected a request to /slack/events: ${refusal(error instanceof Error ? error.message : String(error))}`);
      res.status(401).send('This request was not signed by Slack.');
      return;
    }
    Object.assign(req, { rawBody: raw });
    next();
  };
  return [express.raw({ type: () => true, limit: '1mb' }), check];
}

/** Why a request was refused, and what to check when every request is: the two settings a signature depends on. */
function refusal(reason: string): string {
  if (/stale/.test(reason)) return `its timestamp is more than ${maxAgeMinutes} minutes from this machine's clock. If every request is refused, set the clock right (NTP).`;
  if (/signature mismatch/.test(reason)) return 'its signature does not match SLACK_SIGNING_SECRET. If every request is refused, copy the Signing Secret again from the Slack app\'s "Basic Information" page.';
  return `it was not signed by Slack (${reason}).`;
}

/**
 * Bolt's `verifySlackRequest`, with its rules and its messages (a timestamp
 * older than five minutes is stale; a newer one, even in the future, is
 * not), made cheap enough to run on every request: the key is prepared once
 * rather than per request, the body is hashed as the bytes that came, and
 * the digests are compared in constant time directly, where Bolt's tsscmp
 * draws random bytes and computes two more HMACs to compare two strings.
 */
export function slackVerifier(signingSecret: string): (body: Buffer, signature: string, timestampSec: number, nowMs: number) => void {
  if (!signingSecret) throw new Error(`${verifyErrorPrefix}: signingSecret is empty or undefined`);
  const key: KeyObject = createSecretKey(Buffer.from(signingSecret, 'utf8'));
  return (body, signature, timestampSec, nowMs) => {
    if (timestampSec < Math.floor(nowMs / 1000) - 60 * maxAgeMinutes) {
      throw new Error(`${verifyErrorPrefix}: x-slack-request-timestamp must differ from system time by no more than ${maxAgeMinutes} minutes or request is stale`);
    }
    const [version, hash] = signature.split('=');
    if (version !== 'v0') throw new Error(`${verifyErrorPrefix}: unknown signature version`);
    const ours = Buffer.from(createHmac('sha256', key).update(`${version}:${timestampSec}:`).update(body).digest('hex'), 'latin1');
    const theirs = Buffer.from(hash ?? '', 'latin1');
    if (theirs.length !== ours.length || !timingSafeEqual(theirs, ours)) throw new Error(`${verifyErrorPrefix}: signature mismatch`);
  };
}
