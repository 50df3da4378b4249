import type { App, MessageShortcut } from '@slack/bolt';
import { logMessageModal } from '../../modals.ts';

/** The message shortcut "Log to CRM": any Slack message, with its permalink, onto a customer's timeline. */
export function register(app: App): void {
  app.shortcut<MessageShortcut>('log_message', async ({ ack, shortcut, client }) => {
    await ack();
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: logMessageModal(shortcut.message.text ?? '', {
        channelId: shortcut.channel.id,
        messageTs: shortcut.message.ts,
        responseUrl: shortcut.response_url,
      }),
    });
  });
}
