import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request } from 'express';
import { z } from 'zod';
import type { Core } from '../../src/app.ts';
import { GuanxiError } from '../../src/errors.ts';
import { registerSignInCallback } from '../http/sign-in-callback.ts';

/** Pub/Sub's push body (PLATFORMS.md B2); `data` is base64 of Gmail's notification. */
const pushSchema = z.object({
  message: z.object({ data: z.string().min(1), messageId: z.string().optional(), message_id: z.string().optional() }),
  subscription: z.string().min(1),
});

/** Real deliveries carry historyId as a number, Google's sample as a string: both are accepted. */
const notificationSchema = z.object({
  emailAddress: z.email(),
  historyId: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
});

/** Checks an OIDC bearer token from Pub/Sub for our endpoint; resolves false when it is not one. */
export type PushTokenVerifier = (token: string, audience: string) => Promise<boolean>;

/**
 * `POST /webhooks/gmail` and `GET /oauth/google/callback`. A push is
 * authenticated by the shared secret in its URL (`?token=`) or by a Google
 * OIDC token for this endpoint, and is acknowledged (204) only once what it
 * announced is stored; a failure that passes answers 503 so Pub/Sub redelivers.
 */
export function registerGmailRoutes(http: Express, core: Core, verifyToken: PushTokenVerifier): void {
  const secret = core.config.webhookSecret!;
  const audience = `${core.config.publicUrl}/webhooks/gmail`;

  http.post('/webhooks/gmail', express.json({ limit: '64kb' }), async (req, res) => {
    if (!(await authentic(req, secret, audience, verifyToken))) {
      core.log.warn(`refused a push to /webhooks/gmail without a valid ?token= or OIDC token. If every push is refused, set the Pub/Sub push subscription's endpoint to ${core.config.publicUrl}/webhooks/gmail?token= and the value of WEBHOOK_SECRET (README, "Connect Gmail").`);
      res.status(401).json({ error: 'This push is not from the configured Pub/Sub subscription (no valid ?token= or OIDC token).' });
      return;
    }
    const push = pushSchema.safeParse(req.body);
    const notification = push.success ? notificationSchema.safeParse(decode(push.data.message.data)) : null;
    if (!push.success || !notification?.success) {
      res.status(400).json({ error: 'Not a Pub/Sub push of a Gmail notification: expected {message:{data}} with base64 JSON {emailAddress, historyId}.' });
      return;
    }
    try {
      const outcome = await core.mail!.notified('gmail', { address: notification.data.emailAddress });
      if (outcome === 'unknown_mailbox') core.log.warn(`a Gmail push for ${notification.data.emailAddress}, which is not connected, was acknowledged and dropped`);
      res.status(204).end();
    } catch (error) {
      const passing = error instanceof GuanxiError && error.code === 'provider_temporary';
      core.log.error(`Gmail push for ${notification.data.emailAddress} not processed; Pub/Sub will redeliver it`, error);
      res.status(passing ? 503 : 500).json({ error: 'Not processed yet; redeliver.' });
    }
  });

  registerSignInCallback(http, core, '/oauth/google/callback', 'gmail');
}

async function authentic(req: Request, secret: string, audience: string, verifyToken: PushTokenVerifier): Promise<boolean> {
  const given = typeof req.query['token'] === 'string' ? Buffer.from(req.query['token']) : null;
  if (given && given.length === Buffer.byteLength(secret) && timingSafeEqual(given, Buffer.from(secret))) return true;
  const bearer = /^Bearer (.+)$/.exec(req.header('authorization') ?? '')?.[1];
  return bearer ? verifyToken(bearer, audience) : false;
}

function decode(data: string): unknown {
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return null;
  }
}
