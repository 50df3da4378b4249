import type { App } from '@slack/bolt';
import { runCommand } from '../../../../src/commands/run-command.ts';
import { answerInAck } from '../../answer-in-ack.ts';
import { slackMessage } from '../../render-blocks.ts';
import type { SlackDeps } from '../../slack-deps.ts';

/**
 * `/crm`: answered in the ack when the core is done within 2 s, as it almost
 * always is, else acknowledged in time and answered through the response_url.
 * The answer is ephemeral: only the person who asked sees it, until they
 * press "Share in channel".
 */
export function register(app: App, deps: SlackDeps): void {
  app.command('/crm', async ({ command, ack, respond }) => {
    const reply = (async () => {
      const ctx = await deps.contextFor(command.user_id, command.user_name);
      return { response_type: 'ephemeral' as const, ...slackMessage(await runCommand(ctx, command.text)) };
    })();
    await answerInAck(reply, { ack, respond });
  });
}
