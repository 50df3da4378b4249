import type { webApi } from '@slack/bolt';
import type { Notifier } from '../../src/notifier.ts';
import { slackMessage } from './render-blocks.ts';
import { isPlatformError } from './slack-directory.ts';

/** Slack's answers that mean this person cannot get a DM from us at all, now or on a retry. */
const unreachable = ['channel_not_found', 'user_not_found', 'user_disabled', 'account_inactive', 'cannot_dm_bot'];

/**
 * DMs from the app: chat.postMessage to a user id posts in the app's Messages
 * tab for that user (needs chat:write). People who only use the terminal have
 * no Slack id and cannot be reached this way.
 */
export function slackNotifier(client: webApi.WebClient): Notifier {
  return {
    async direct(memberId, reply) {
      if (!/^[UW][A-Z0-9]+$/.test(memberId)) return null;
      try {
        const posted = await client.chat.postMessage({ channel: memberId, ...slackMessage(reply) });
        return { channel: posted.channel!, ts: posted.ts! };
      } catch (error) {
        if (unreachable.some((code) => isPlatformError(error, code))) return null;
        throw error;
      }
    },
    async post(channel, reply) {
      const posted = await client.chat.postMessage({ channel, ...slackMessage(reply) });
      return { channel: posted.channel!, ts: posted.ts! };
    },
    async update(message, reply) {
      await client.chat.update({ channel: message.channel, ts: message.ts, ...slackMessage(reply) });
    },
  };
}
