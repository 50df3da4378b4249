import type { App, webApi } from '@slack/bolt';
import { home } from '../../../../src/commands/handlers/home.ts';
import { renderBlocks, viewBlocksMax } from '../../render-blocks.ts';
import type { SlackDeps } from '../../slack-deps.ts';
import { registerChannelMessages } from './channel-messages.ts';

export function register(app: App, deps: SlackDeps): void {
  // Sent every time someone opens the app's Home tab (PLATFORMS.md A3): always a fresh view.
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(client, deps, event.user);
  });
  registerChannelMessages(app, deps);
}

export async function publishHome(client: webApi.WebClient, deps: SlackDeps, userId: string): Promise<void> {
  const reply = await home(await deps.contextFor(userId));
  await client.views.publish({ user_id: userId, view: { type: 'home', blocks: renderBlocks(reply, viewBlocksMax) } });
}
