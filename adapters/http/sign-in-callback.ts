import type { Express } from 'express';
import type { Core } from '../../src/app.ts';
import { GuanxiError } from '../../src/errors.ts';
import { providerName } from '../../src/mail/mail-deps.ts';
import type { MailProvider } from '../../src/mail/mail-port.ts';
import { page } from './page.ts';

/**
 * Where the provider sends the rep's browser back after sign-in
 * (`/oauth/google/callback`, `/oauth/microsoft/callback`): the mailbox is
 * connected and the rep reads, in plain words, what happens next or what went wrong.
 */
export function registerSignInCallback(http: Express, core: Core, path: string, provider: MailProvider): void {
  const name = providerName[provider];
  const failed = `${name} was not connected`;
  http.get(path, async (req, res) => {
    const { code, state, error, error_description: description } = req.query;
    if (typeof error === 'string') {
      res.status(400).send(page(failed, [`The sign-in said: ${typeof description === 'string' ? description : error}. Type /crm connect ${provider} in Slack to try again.`]));
      return;
    }
    if (typeof code !== 'string' || typeof state !== 'string') {
      res.status(400).send(page(failed, [`This address is where sign-in sends you back. Type /crm connect ${provider} in Slack to start.`]));
      return;
    }
    try {
      const mailbox = await core.mail!.completeSignIn(provider, code, state);
      res.send(page(`${name} connected`, [`guanxi now logs the customer mail of ${mailbox.address}: who wrote to whom, the subject and the first words, never the body.`, 'You can close this tab. Progress shows in Slack.']));
    } catch (failure) {
      if (!(failure instanceof GuanxiError)) throw failure;
      res.status(400).send(page(failed, [failure.message]));
    }
  });
}
