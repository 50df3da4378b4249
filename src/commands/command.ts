import type { DealStage } from '../domain/deal.ts';
import type { PreferredHours } from '../domain/contact.ts';
import type { LoggableKind } from '../domain/interaction.ts';
import type { Member } from '../domain/member.ts';
import type { PollKind } from '../domain/poll.ts';

/**
 * A parsed `/crm` command. Customer references stay as the words the user
 * typed (`customer`); handlers resolve them, because resolving needs the store.
 * Times are already instants: the parser reads them in the user's own zone.
 */
export type Command =
  | { name: 'help'; topic: string | null }
  | { name: 'find'; query: string }
  | { name: 'add_customer'; customerName: string; domains: string[] }
  /** `words` is the optional name followed by the optional customer; the handler splits them. */
  | { name: 'add_contact'; email: string; words: string[] }
  | { name: 'log'; customer: string; kind: LoggableKind; text: string }
  | { name: 'remind'; customer: string; dueAt: Date; text: string }
  | { name: 'remind_list' }
  | { name: 'remind_done'; reminderId: string }
  | { name: 'remind_snooze'; reminderId: string; until: Date }
  /** `memberId` is a Slack user id taken from a mention. */
  | { name: 'assign'; customer: string; memberId: string }
  /** `target` is a lower-cased address or `@domain`. */
  | { name: 'block'; target: string }
  | { name: 'unblock'; target: string }
  | { name: 'block_list' }
  | { name: 'suggestions' }
  | { name: 'suggestion_accept'; domain: string; customerName: string | null }
  | { name: 'suggestion_dismiss'; domain: string }
  | { name: 'unlink'; interactionId: string; customer: string }
  | { name: 'link_channel'; channelId: string; customer: string }
  | { name: 'unlink_channel'; channelId: string }
  /** With `address`, an admin connects someone's Outlook with the app's own access. */
  | { name: 'connect'; provider: 'gmail' | 'outlook'; address: string | null }
  | { name: 'mail' }
  | { name: 'team' }
  /** `memberId` is a Slack user id taken from a mention. */
  | { name: 'team_role'; memberId: string; role: Member['role'] }
  /** `managerId` is a Slack user id taken from a mention; null clears the manager. */
  | { name: 'team_manager'; memberId: string; managerId: string | null }
  /** `email` is lower-cased, in these four and in `forget`. */
  | { name: 'optout'; email: string }
  | { name: 'optin'; email: string }
  /** Null `hours` clears them. */
  | { name: 'prefer'; email: string; hours: PreferredHours | null }
  /** `MM-DD`, or `YYYY-MM-DD` when the year was given; null clears it. */
  | { name: 'birthday'; email: string; birthday: string | null }
  | { name: 'forget'; email: string }
  /** `stage` null keeps a deal's stage (a new one starts as a lead); `dealName` null picks the customer's open deal. */
  | { name: 'deal'; customer: string; amount: number; stage: DealStage | null; dealName: string | null }
  | { name: 'deal_list'; customer: string | null }
  | { name: 'jobs' }
  | { name: 'digest' }
  /** `HH:MM` in the member's own zone. */
  | { name: 'digest_time'; time: string }
  | { name: 'digest_switch'; on: boolean }
  /**
   * `words` are the customer followed by the text: the customer is one to
   * `customerMax` of the first words, and the handler finds where it ends.
   * `dueAt` is null for the default deadline of the customer's tier.
   */
  | { name: 'case_open'; words: string[]; customerMax: number; dueAt: Date | null }
  | { name: 'case_list' }
  | { name: 'case_close'; caseId: string; note: string | null }
  | { name: 'duplicates' }
  /** Two customers as typed, said not to be duplicates. */
  | { name: 'duplicates_dismiss'; customers: [string, string] }
  /** Both customers as typed: `from` becomes part of `into`. */
  | { name: 'merge'; from: string; into: string }
  /** `target` is a lower-cased contact address, or the words naming a customer. */
  | { name: 'poll'; target: { email: string } | { customer: string }; kind: PollKind };

export type CommandName = Command['name'];

/** What a parser needs besides the text: the moment and the user's zone, to read dates. */
export interface ParseContext {
  now: Date;
  tz: string;
}
