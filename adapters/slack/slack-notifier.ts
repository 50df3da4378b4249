import type { webApi } from '@slack/bolt';
import { GuanxiError } from '../../src/errors.ts';
import type { Notifier } from '../../src/notifier.ts';
import { slackMessage } from './render-blocks.ts';
import { platformErrorOf } from './slack-directory.ts';

/** Slack's answers that mean this person cannot get a DM from us at all, now or on a retry. */
const unreachable = ['channel_not_found', 'user_not_found', 'user_disabled', 'cannot_dm_bot'];

/**
 * Slack's answers that mean no message can go out until an admin fixes the
 * token (account_inactive, for a bot token, is the app's workspace or install
 * gone): told as such, so that what waits is not taken for delivered.
 */
const tokenRefused = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'team_disabled'];

function translated(error: unknown): unknown {
  const code = platformErrorOf(error);
  if (code !== undefined && tokenRefused.includes(code)) {
    return new GuanxiError('config_invalid', `Slack refuses guanxi's bot token (${code}): set SLACK_BOT_TOKEN to the app's Bot User OAuth Token, or reinstall the app from manifests/slack.yaml (README, "Connect Slack").`, { cause: error });
  }
  if (code === 'missing_scope') {
    return new GuanxiError('config_invalid', 'The Slack app lacks chat:write, so guanxi cannot post: reinstall it from manifests/slack.yaml (README, "Connect Slack").', { cause: error });
  }
  return error;
}

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
        if (unreachable.includes(platformErrorOf(error) ?? '')) return null;
        throw translated(error);
      }
    },
    async post(channel, reply) {
      try {
        const posted = await client.chat.postMessage({ channel, ...slackMessage(reply) });
        return { channel: posted.channel!, ts: posted.ts! };
      } catch (error) {
        throw translated(error);
      }
    },
    async update(message, reply) {
      try {
        await client.chat.update({ channel: message.channel, ts: message.ts, ...slackMessage(reply) });
      } catch (error) {
        throw translated(error);
      }
    },
  };
}
