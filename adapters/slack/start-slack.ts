import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Express } from 'express';
import type { Core } from '../../src/app.ts';
import { GuanxiError } from '../../src/errors.ts';
import type { SlackConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { Notifier } from '../../src/notifier.ts';
import { handleErrors } from './handle-errors.ts';
import { registerListeners } from './listeners/register.ts';
import type { SlackDeps } from './slack-deps.ts';
import { slackDirectory } from './slack-directory.ts';
import { slackNotifier } from './slack-notifier.ts';
import { verifyRequest } from './verify-request.ts';

export interface SlackIntegration {
  notifier: Notifier;
  stop(): Promise<void>;
}

/**
 * The Bolt app. Over HTTP it answers `POST /slack/events` on the service's own
 * express server; with an app token it connects by Socket Mode instead, for a
 * machine Slack cannot reach.
 */
export async function startSlack(core: Core, config: Exclude<SlackConfig, { mode: 'off' }>, http: Express): Promise<SlackIntegration> {
  const logger = boltLogger(core.log);
  const clientOptions = { slackApiUrl: config.apiUrl };
  let receiver: ExpressReceiver | SocketModeReceiver;
  if (config.mode === 'http') {
    http.post('/slack/events', ...verifyRequest(config.signingSecret, core.clock, core.log));
    receiver = new ExpressReceiver({ signingSecret: config.signingSecret, signatureVerification: false, app: http, endpoints: '/slack/events', logger });
  } else {
    receiver = new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } });
  }
  const app = new App({ receiver, token: config.botToken, clientOptions, logger, deferInitialization: true, extendedErrorHandler: true });
  // auth.test now, so a wrong token stops the start with Slack's own reason.
  try {
    await app.init();
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error instanceof Error ? error.message : String(error));
    throw new GuanxiError('provider_auth', `Slack did not accept SLACK_BOT_TOKEN (${reason}). Copy the bot token again from your Slack app's "OAuth & Permissions" page, and check SLACK_API_URL if you changed it.`, { cause: error });
  }

  const directory = slackDirectory(app.client);
  const deps: SlackDeps = {
    core,
    contextFor: (userId, userName) => core.contextFor(userId, directory, userName),
    respondTo: async (responseUrl, message) => {
      const response = await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
      if (!response.ok) throw new Error(`Slack refused the response_url post: HTTP ${response.status}`);
    },
  };
  registerListeners(app, deps);
  app.error(handleErrors(deps));
  if (config.mode === 'socket') await app.start();
  return { notifier: slackNotifier(app.client), stop: async () => void (config.mode === 'socket' && (await app.stop())) };
}

function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  return {
    debug: () => {},
    info: (...msg) => level === LogLevel.INFO && log.info(msg.join(' ')),
    warn: (...msg) => log.warn(msg.join(' ')),
    error: (...msg) => log.error(msg.join(' ')),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}
