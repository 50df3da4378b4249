import type { Core } from '../../src/app.ts';
import type { CommandContext } from '../../src/commands/context.ts';
import type { Directory } from '../../src/team/directory.ts';

/** What every listener gets: the core, and the context of the person who clicked or typed. */
export interface SlackDeps {
  core: Core;
  /** Slack's users.info. */
  directory: Directory;
  contextFor(userId: string, userName?: string): Promise<CommandContext>;
  /** Posts a follow-up to a response_url (a slash command's or a message button's). */
  respondTo(responseUrl: string, message: Record<string, unknown>): Promise<void>;
}
