import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { openCore, type Core, type CoreDeps } from '../src/app.ts';
import type { Config } from '../src/config.ts';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.ts';
import { gmailConnector } from './gmail/gmail-connector.ts';
import { registerGmailRoutes, type PushTokenVerifier } from './gmail/gmail-routes.ts';
import { googlePushTokens } from './gmail/verify-push-token.ts';
import { page } from './http/page.ts';
import { registerPollRoutes } from './http/poll-routes.ts';
import { outlookConnector } from './outlook/outlook-connector.ts';
import { registerOutlookRoutes } from './outlook/outlook-routes.ts';
import { startSlack, type SlackIntegration } from './slack/start-slack.ts';

/** The core's dependencies, and how Pub/Sub push tokens are checked (Google's certificates unless a test says otherwise). */
export interface ServerDeps extends CoreDeps {
  verifyPushToken?: PushTokenVerifier;
}

export interface Server {
  /** Where the service listens, e.g. http://127.0.0.1:3000 */
  url: string;
  core: Core;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/**
 * The composition root: the core from the config, every configured adapter
 * around it, one HTTP server for all routes, and the scheduled jobs. It lives
 * outside src/ because it is the one module that sees both the core and the
 * platform SDKs.
 */
export async function startServer(config: Config, deps: ServerDeps = {}): Promise<Server> {
  const core = await openCore(config, deps);
  let slack: SlackIntegration | null = null;
  try {
    const http = express();
    http.disable('x-powered-by');
    http.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', store: core.store.kind, slack: config.slack.mode, gmail: config.gmail ? 'on' : 'off', outlook: config.outlook ? 'on' : 'off' });
    });
    if (config.slack.mode !== 'off') slack = await startSlack(core, config.slack, http);
    const gmail = config.gmail && gmailConnector(config.gmail, { redirectUri: `${config.publicUrl}/oauth/google/callback`, clock: core.clock });
    const outlook =
      config.outlook &&
      outlookConnector(config.outlook, { redirectUri: `${config.publicUrl}/oauth/microsoft/callback`, publicUrl: config.publicUrl, webhookSecret: config.webhookSecret!, clock: core.clock });
    const jobs = core.start({ notifier: slack?.notifier ?? null, mailConnectors: [gmail, outlook].filter((c) => c !== null) });
    if (gmail) registerGmailRoutes(http, core, deps.verifyPushToken ?? googlePushTokens());
    if (outlook) registerOutlookRoutes(http, core);
    registerPollRoutes(http, core);
    http.use(failurePage(core));
    const scheduler = startScheduler(jobs, core.log);
    const server = await listen(http, config.port);
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      core,
      scheduler,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await scheduler.stop();
        await slack?.stop();
        await core.close();
      },
    };
  } catch (error) {
    await slack?.stop();
    await core.close();
    throw error;
  }
}

function listen(http: express.Express, port: number): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = http.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/**
 * What a route that failed answers, instead of Express's own page (which shows
 * the stack outside production): a request it could not read gets its 4xx, a
 * failure of ours a 500, both as a plain page; ours is logged.
 */
function failurePage(core: Core): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    // Express's body parsers mark what the client got wrong (http-errors' `expose`); an upstream API's 4xx is a failure of ours.
    const { status, expose } = error as { status?: unknown; expose?: unknown };
    if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).send(page('That request could not be read', [`guanxi could not read what was sent to ${req.path} (HTTP ${status}).`]));
      return;
    }
    core.log.error(`${req.method} ${req.path} failed`, error);
    res.status(500).send(page('Something went wrong', ['guanxi could not finish this, and the failure has been logged. Please try again in a minute.']));
  };
}
