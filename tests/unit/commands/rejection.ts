import { parseCommand } from '../../../src/commands/parse.ts';
import type { ParseContext } from '../../../src/commands/command.ts';
import { UserInputError } from '../../../src/errors.ts';

/** Wednesday 2 December 2026, 10:00 for a rep in Los Angeles. */
export const ctx: ParseContext = { now: new Date('2026-12-02T18:00:00Z'), tz: 'America/Los_Angeles' };

/** The error a rep sees for `text`; fails the test when the text is accepted or anything else is thrown. */
export function rejection(text: string): UserInputError {
  try {
    parseCommand(text, ctx);
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to be rejected`);
}
