import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Express } from 'express';
import type { Core } from '../../src/app.ts';
import { GuanxiError } from '../../src/errors.ts';
import type { SlackConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { Notifier } from '../../src/notifier.ts';
import { botScopes } from './bot-scopes.ts';
import { handleErrors } from './handle-errors.ts';
import { registerListeners } from './listeners/register.ts';
import type { SlackDeps } from './slack-deps.ts';
import { platformErrorOf, slackDirectory } from './slack-directory.ts';
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
    // A copy: the socket client writes its own retry policy into the options it is given.
    receiver = new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions: { ...clientOptions } } });
  }
  // No conversation store: no listener keeps state per conversation, and Bolt's default one costs a failed look-up (an Error and its stack) on every request.
  const app = new App({ receiver, token: config.botToken, clientOptions, logger, convoStore: false, deferInitialization: true, extendedErrorHandler: true });
  // auth.test now, so a wrong token stops the start with Slack's own reason.
  await refusedAs(app.init(), 'SLACK_BOT_TOKEN', 'Copy the bot token (xoxb-…) again from your Slack app\'s "OAuth & Permissions" page');
  await warnOfMissingScopes(app, core.log);

  const directory = slackDirectory(app.client);
  const deps: SlackDeps = {
    core,
    directory,
    contextFor: (userId, userName) => core.contextFor(userId, directory, userName),
    respondTo: async (responseUrl, message) => {
      const response = await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
      if (!response.ok) throw new Error(`Slack refused the response_url post: HTTP ${response.status}`);
    },
  };
  registerListeners(app, deps);
  app.error(handleErrors(deps));
  if (config.mode === 'socket') {
    await refusedAs(app.start(), 'SLACK_APP_TOKEN', 'Create an app-level token with the connections:write scope on your Slack app\'s "Basic Information" page');
  }
  return { notifier: slackNotifier(app.client), stop: async () => void (config.mode === 'socket' && (await app.stop())) };
}

/**
 * Slack names the token's scopes in every answer (`x-oauth-scopes`). An app
 * made by hand, or installed before a version that asks for more, lacks some:
 * said at start, with what stops working, rather than as failures later.
 */
async function warnOfMissingScopes(app: App, log: Logger): Promise<void> {
  const granted = (await app.client.auth.test()).response_metadata?.scopes;
  if (!granted) return;
  const missing = Object.keys(botScopes).filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return;
  log.warn(
    `The Slack app's bot token lacks ${missing.map((scope) => `${scope} (${botScopes[scope]})`).join(', ')}. Reinstall the app from manifests/slack.yaml, or add the scopes under "OAuth & Permissions" and reinstall it (README, "Connect Slack").`,
  );
}

/** A start-up call Slack refused, told as which variable to fix and how. */
async function refusedAs<T>(call: Promise<T>, variable: string, fix: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const reason = platformErrorOf(error) ?? (error instanceof Error ? error.message : String(error));
    throw new GuanxiError('provider_auth', `Slack did not accept ${variable} (${reason}). ${fix}, and check SLACK_API_URL if you changed it.`, { cause: error });
  }
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
