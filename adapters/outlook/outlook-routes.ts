import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Core } from '../../src/app.ts';
import type { Mailbox } from '../../src/domain/mailbox.ts';
import type { LifecycleEvent } from '../../src/mail/mail-service.ts';
import { registerSignInCallback } from '../http/sign-in-callback.ts';
import { clientStateFor } from './outlook-mailbox.ts';

/** Change notifications (PLATFORMS.md C3) and lifecycle notifications (C4); only the fields guanxi reads. */
const changesSchema = z.object({ value: z.array(z.object({ subscriptionId: z.string().min(1), clientState: z.string().optional() })).min(1) });
const lifecycleSchema = z.object({
  value: z.array(z.object({ subscriptionId: z.string().min(1), clientState: z.string().optional(), lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']) })).min(1),
});

/**
 * `POST /webhooks/outlook`, `POST /webhooks/outlook/lifecycle` and
 * `GET /oauth/microsoft/callback`. Graph first checks each URL with a
 * validation token, echoed back decoded as text (C2). A notification whose
 * clientState is not the one its subscription was made with is refused whole,
 * and nothing is done; otherwise Graph gets 202 at once and the mail is
 * fetched after (C3 asks for an answer within 3 s).
 */
export function registerOutlookRoutes(http: Express, core: Core): void {
  const secret = core.config.webhookSecret!;

  const route = <T extends { value: { subscriptionId: string; clientState?: string | undefined }[] }>(path: string, schema: z.ZodType<T>, act: (body: T, mailboxes: Map<string, Mailbox>) => void) => {
    http.post(path, express.json({ limit: '1mb' }), async (req: Request, res: Response) => {
      const token = req.query['validationToken'];
      if (typeof token === 'string') {
        res.status(200).type('text/plain').send(token);
        return;
      }
      const body = schema.safeParse(req.body);
      if (!body.success) {
        res.status(400).json({ error: 'Not a Microsoft Graph notification: expected {value:[{subscriptionId, clientState, …}]}.' });
        return;
      }
      const mailboxes = new Map((await core.store.mailboxes.list()).filter((m) => m.provider === 'outlook' && m.subscriptionId).map((m) => [m.subscriptionId!, m]));
      const forged = body.data.value.some((n) => {
        const mailbox = mailboxes.get(n.subscriptionId);
        return mailbox !== undefined && !same(n.clientState ?? '', clientStateFor(secret, mailbox.id));
      });
      if (forged) {
        core.log.warn(`refused an Outlook notification to ${path} whose clientState did not match its subscription`);
        res.status(401).json({ error: 'clientState does not match the subscription.' });
        return;
      }
      res.status(202).end();
      act(body.data, mailboxes);
    });
  };

  route('/webhooks/outlook', changesSchema, (body, mailboxes) => {
    for (const subscriptionId of new Set(body.value.map((n) => n.subscriptionId))) {
      if (!mailboxes.has(subscriptionId)) continue;
      core.mail!.later(`Outlook notification for subscription ${subscriptionId}`, () => core.mail!.notified('outlook', { subscriptionId }));
    }
  });

  route('/webhooks/outlook/lifecycle', lifecycleSchema, (body, mailboxes) => {
    for (const { subscriptionId, lifecycleEvent } of body.value) {
      if (!mailboxes.has(subscriptionId)) continue;
      core.mail!.later(`Outlook ${lifecycleEvent} for subscription ${subscriptionId}`, () => core.mail!.lifecycle('outlook', subscriptionId, lifecycleEvent as LifecycleEvent));
    }
  });

  registerSignInCallback(http, core, '/oauth/microsoft/callback', 'outlook');
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
