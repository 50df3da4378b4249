import type { App } from '@slack/bolt';
import { runCommand } from '../../../../src/commands/run-command.ts';
import { slackMessage } from '../../render-blocks.ts';
import type { SlackDeps } from '../../slack-deps.ts';

/**
 * `/crm`: acknowledged at once (Slack allows 3 s), answered through the
 * response_url when the core is done. The answer is ephemeral: only the person
 * who asked sees it, until they press "Share in channel".
 */
export function register(app: App, deps: SlackDeps): void {
  app.command('/crm', async ({ command, ack, respond }) => {
    await ack();
    const ctx = await deps.contextFor(command.user_id, command.user_name);
    const reply = await runCommand(ctx, command.text);
    await respond({ response_type: 'ephemeral', ...slackMessage(reply) });
  });
}
