import type { webApi } from '@slack/bolt';
import type { Directory } from '../../src/team/directory.ts';

/** Slack's users.info as the core's Directory. Needs users:read, and users:read.email for the address. */
export function slackDirectory(client: webApi.WebClient): Directory {
  return {
    async lookup(userId) {
      try {
        const { user } = await client.users.info({ user: userId });
        if (!user?.id) return null;
        return {
          id: user.id,
          name: user.real_name || user.profile?.display_name || user.name || user.id,
          email: user.profile?.email ?? null,
          tz: user.tz ?? null,
        };
      } catch (error) {
        if (isPlatformError(error, 'user_not_found')) return null;
        throw error;
      }
    },
  };
}

/** The code of a Web API call Slack answered with ok: false (`channel_not_found`), as the WebClient throws it; undefined for any other failure. */
export function platformErrorOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { data?: { error?: string } }).data?.error : undefined;
}

export function isPlatformError(error: unknown, code: string): boolean {
  return platformErrorOf(error) === code;
}
