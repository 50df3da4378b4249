import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../slack-deps.ts';

/**
 * Slack retries an event it thinks we missed, up to three times (PLATFORMS.md
 * A3). Each event_id is handled once: a retry of one already seen is
 * acknowledged and dropped, even after a restart, because the ids are stored.
 */
export function ignoreRetriedEvents(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await deps.core.store.deliveries.firstSeen(`slack-event:${eventId}`, deps.core.clock.now()))) {
      return;
    }
    await next();
  };
}
