import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../../../adapters/slack/verify-request.ts';
import { FixedClock } from '../../support/fixed-clock.ts';
import { MemoryLog } from '../../support/guanxi.ts';

// Slack's own example from "Verifying requests from Slack" (PLATFORMS.md A1).
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const timestamp = '1531420618';
const body =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

/** The signature check alone, in front of a handler that records what passed it (the example's response_url is real Slack's, so no listener runs). */
async function post(at: string, headers: Record<string, string>, log = new MemoryLog()) {
  const passed: string[] = [];
  const app = express();
  app.post('/slack/events', ...verifyRequest(secret, new FixedClock(at), log), (req, res) => {
    passed.push((req as unknown as { rawBody: Buffer }).rawBody.toString());
    res.end();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { status: response.status, passed };
  } finally {
    server.close();
  }
}

describe('Slack request signatures', () => {
  it("accepts Slack's published example, byte for byte", async () => {
    const result = await post('2018-07-12T18:36:58Z', { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature });
    expect(result).toEqual({ status: 200, passed: [body] });
  });

  it('refuses the same request five minutes and a second later, or with one character of the signature changed, and logs what to check', async () => {
    const log = new MemoryLog();
    const late = await post('2018-07-12T18:41:59Z', { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature }, log);
    const forged = await post('2018-07-12T18:36:58Z', { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature.replace(/3$/, '4') }, log);
    const unsigned = await post('2018-07-12T18:36:58Z', {}, log);
    expect([late, forged, unsigned]).toEqual([
      { status: 401, passed: [] },
      { status: 401, passed: [] },
      { status: 401, passed: [] },
    ]);
    expect(log.lines.map((line) => line.trim())).toEqual([
      "warn rejected a request to /slack/events: its timestamp is more than 5 minutes from this machine's clock. If every request is refused, set the clock right (NTP).",
      'warn rejected a request to /slack/events: its signature does not match SLACK_SIGNING_SECRET. If every request is refused, copy the Signing Secret again from the Slack app\'s "Basic Information" page.',
      'warn rejected a request to /slack/events: it was not signed by Slack (missing signature headers).',
    ]);
  });
});
