import type { App } from '@slack/bolt';
import { errorReply } from '../../src/commands/run-command.ts';
import { textReply } from '../../src/reply.ts';
import { slackMessage } from './render-blocks.ts';
import type { SlackDeps } from './slack-deps.ts';

/** Bolt's ExtendedErrorHandlerArgs, which its index does not export (with extendedErrorHandler: true). */
type ErrorArgs = Parameters<Parameters<App['error']>[0]>[0] & { body: unknown };

/**
 * The one place a failed listener is decided about. A mistake the user can fix
 * is told to them as such; anything else is logged with its cause, and the user
 * hears that it failed on our side, never silence.
 */
export function handleErrors(deps: SlackDeps): Parameters<App['error']>[0] {
  return async ({ error, body }: ErrorArgs): Promise<void> => {
    const cause = error.original ?? error;
    const reply = errorReply(cause);
    if (!reply) deps.core.log.error(`Slack ${describe(body)} failed`, cause);
    const told = reply ?? textReply('Sorry, that failed on our side and has been logged. Please try again in a minute.');
    const responseUrl = (body as { response_url?: unknown }).response_url;
    try {
      if (typeof responseUrl === 'string') await deps.respondTo(responseUrl, { response_type: 'ephemeral', replace_original: false, ...slackMessage(told) });
    } catch (failure) {
      deps.core.log.error('could not tell the user about a failure', failure);
    }
  };
}

function describe(body: unknown): string {
  const b = body as { command?: string; type?: string; event?: { type?: string } };
  return b.command ?? b.event?.type ?? b.type ?? 'request';
}
