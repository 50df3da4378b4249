import type { App } from '@slack/bolt';
import type { SlackDeps } from '../slack-deps.ts';
import { register as actions } from './actions/index.ts';
import { register as commands } from './commands/index.ts';
import { ignoreRetriedEvents } from './ignore-retried-events.ts';
import { register as events } from './events/index.ts';
import { register as shortcuts } from './shortcuts/index.ts';
import { register as views } from './views/index.ts';

/** Everything the app listens to. manifests/slack.yaml declares exactly these (a test holds them together). */
export function registerListeners(app: App, deps: SlackDeps): void {
  app.use(ignoreRetriedEvents(deps));
  commands(app, deps);
  actions(app, deps);
  views(app, deps);
  shortcuts(app);
  events(app, deps);
}
