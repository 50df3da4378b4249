import type { Contact } from '../domain/contact.ts';
import type { Customer } from '../domain/customer.ts';
import type { Member } from '../domain/member.ts';
import type { Poll, PollKind } from '../domain/poll.ts';
import { NotFoundError, UserInputError } from '../errors.ts';
import { providerName } from '../mail/mail-deps.ts';
import { textReply, type Reply } from '../reply.ts';
import { lookupCustomer, resolveCustomer } from '../resolve/customer-reference.ts';
import { formatInZone } from '../time/zoned.ts';
import { pollLifetimeMs, type PollDeps } from './poll-deps.ts';
import { nextSendAt } from './preferred-hours.ts';
import { retryInMs, sendPoll } from './send-poll.ts';

/** Who a poll is for, as typed: a contact's address, or a customer. */
export type PollTarget = { email: string } | { customer: string } | { customerId: string };

export interface AskPoll {
  actor: Member;
  /** The actor's zone, for the times in the answer. */
  tz: string;
  target: PollTarget;
  kind: PollKind;
  caseId: string | null;
}

const kindName: Record<PollKind, string> = { csat: 'CSAT', nps: 'NPS' };

/**
 * The customer typed after /crm poll. A name can have several words, so one
 * that matches nothing but is a customer's name and one word more may hold a
 * wrong kind of poll (`/crm poll acme survey`): the refusal says so.
 */
async function pollCustomer(deps: PollDeps, typed: string): Promise<Customer> {
  try {
    return await resolveCustomer(deps.store, typed);
  } catch (error) {
    const cut = typed.lastIndexOf(' ');
    if (!(error instanceof NotFoundError) || cut < 0) throw error;
    const found = await lookupCustomer(deps.store, typed.slice(0, cut));
    if (found.kind !== 'one') throw error;
    const kind = typed.slice(cut + 1);
    throw new UserInputError(
      `No customer matches "${typed}", and "${kind}" is not a kind of poll. To poll ${found.customer.name}, put csat or nps after its name, or nothing for CSAT: /crm poll ${found.customer.name} nps`,
    );
  }
}

/**
 * `/crm poll <email | customer> [csat | nps]`, and the "Send a poll" button
 * of a closed case. A customer with a linked channel is asked there; otherwise
 * one contact by mail, from the asker's own mailbox, within the contact's
 * preferred hours. Every refusal says why and what to do instead.
 */
export async function askPoll(deps: PollDeps, ask: AskPoll): Promise<Reply> {
  if ('email' in ask.target) {
    const contact = await deps.store.contacts.byEmail(ask.target.email);
    if (!contact) throw new NotFoundError(`${ask.target.email} is not a contact yet. Add them first, with the customer they work for: /crm add contact ${ask.target.email} "Their Name" <customer>`);
    return pollContact(deps, ask, contact);
  }
  const customer = 'customerId' in ask.target ? await deps.store.customers.get(ask.target.customerId) : await pollCustomer(deps, ask.target.customer);
  if (!customer) throw new NotFoundError('That customer no longer exists. Search again with /crm find.');
  const [channel] = await deps.store.channels.byCustomer(customer.id);
  if (channel) return pollChannel(deps, ask, customer, channel.id);
  const contacts = await deps.store.contacts.byCustomer(customer.id);
  if (contacts.length === 1) return pollContact(deps, ask, contacts[0]!);
  if (contacts.length === 0) {
    throw new UserInputError(`*${customer.name}* has no contact to ask and no linked Slack channel. Add a contact with /crm add contact <email> "Name" ${customer.name}, or link their channel with /crm link #channel ${customer.name}.`);
  }
  const listed = contacts.map((c) => `${c.name ? `${c.name} <${c.email}>` : c.email}${c.optedOut ? ' (opted out)' : ''}`).join('; ');
  throw new UserInputError(`*${customer.name}* has ${contacts.length} contacts: ${listed}. Poll one by address, e.g. /crm poll ${contacts.find((c) => !c.optedOut)?.email ?? contacts[0]!.email}`);
}

async function pollContact(deps: PollDeps, ask: AskPoll, contact: Contact): Promise<Reply> {
  const who = contact.name ? `${contact.name} <${contact.email}>` : contact.email;
  if (contact.optedOut) {
    const when = formatInZone(new Date(contact.optedOut.at), ask.tz, deps.clock.now());
    const by = (await deps.store.members.get(contact.optedOut.by))?.name ?? contact.optedOut.by;
    throw new UserInputError(`${who} opted out of being contacted (recorded ${when} by ${by}), so no poll goes to them. If they ask to hear from us again: /crm optin ${contact.email}`);
  }
  const customer = contact.customerId ? await deps.store.customers.get(contact.customerId) : null;
  if (!customer) throw new UserInputError(`${who} is not linked to a customer, so their answer would count for no one. Say whom they work for: /crm add contact ${contact.email} <customer>`);
  if (!deps.mail || !deps.links) {
    throw new UserInputError('Polls by mail go from your own mailbox, and mail is not set up on this guanxi yet (README, "Connect Gmail" and "Connect Outlook"). A customer with a linked Slack channel can be polled there.');
  }
  const mailboxes = (await deps.store.mailboxes.byMember(ask.actor.id)).filter((m) => deps.mail!.canSend(m.provider));
  const mailbox = mailboxes.find((m) => m.status === 'active');
  if (!mailbox) {
    const stale = mailboxes[0];
    throw new UserInputError(
      stale
        ? `Your ${providerName[stale.provider]} ${stale.address} needs you to sign in again before it can send: /crm connect ${stale.provider}`
        : 'A poll goes from your own mailbox, so the customer sees it comes from you, and you have none connected. Connect it with /crm connect gmail or /crm connect outlook, then ask again.',
    );
  }
  const due = nextSendAt(contact.preferredHours, deps.clock.now());
  const poll = await newPoll(deps, ask, customer, { via: mailbox.provider, contactId: contact.id, email: contact.email, channelId: null }, due);
  const what = `${poll.kind === 'csat' ? 'a CSAT' : 'an NPS'} poll`;
  const now = deps.clock.now();
  if (due.getTime() > now.getTime()) {
    const hours = contact.preferredHours!;
    return textReply(`${who} prefers to be contacted ${hours.from}–${hours.to} (${hours.tz}), so ${what} goes from your ${providerName[mailbox.provider]} ${mailbox.address} at ${formatInZone(due, ask.tz, now)} your time (${formatInZone(due, hours.tz, now)} theirs). Answers show on *${customer.name}*'s card.`);
  }
  const sent = await sendPoll(deps, poll);
  return textReply(outcome(sent, `${what.charAt(0).toUpperCase()}${what.slice(1)} went to ${who} from your ${providerName[mailbox.provider]} ${mailbox.address}. Answers show on *${customer.name}*'s card; the links work for 30 days.`));
}

async function pollChannel(deps: PollDeps, ask: AskPoll, customer: Customer, channelId: string): Promise<Reply> {
  if (!deps.notifier) throw new UserInputError(`*${customer.name}* is polled in its linked channel, and Slack is not connected to this guanxi.`);
  const poll = await newPoll(deps, ask, customer, { via: 'slack', contactId: null, email: null, channelId }, deps.clock.now());
  const sent = await sendPoll(deps, poll);
  return textReply(outcome(sent, `Posted ${poll.kind === 'csat' ? 'a CSAT' : 'an NPS'} poll in <#${channelId}>, *${customer.name}*'s linked channel. Each person's click counts once (a later click changes it); answers show on the card.`));
}

/**
 * A new poll, stored before anything is sent: `scheduled` until it goes. One
 * that goes now is sent by the caller, and is due for the minute job only
 * `retryInMs` later: the job sends it then if this send never finished (a
 * crash), and cannot send it a second time meanwhile.
 */
async function newPoll(deps: PollDeps, ask: AskPoll, customer: Customer, where: Pick<Poll, 'via' | 'contactId' | 'email' | 'channelId'>, due: Date): Promise<Poll> {
  const now = deps.clock.now();
  const sendAt = due.getTime() > now.getTime() ? due : new Date(now.getTime() + retryInMs);
  const poll: Poll = {
    id: deps.ids('pol'),
    customerId: customer.id,
    kind: ask.kind,
    ...where,
    caseId: ask.caseId,
    askedBy: ask.actor.id,
    status: 'scheduled',
    sendAt: sendAt.toISOString(),
    sentAt: null,
    expiresAt: new Date(due.getTime() + pollLifetimeMs).toISOString(),
    answers: [],
    error: null,
    createdAt: now.toISOString(),
  };
  await deps.store.polls.insert(poll);
  return poll;
}

function outcome(poll: Poll, success: string): string {
  if (poll.status === 'sent') return success;
  if (poll.status === 'scheduled') return `The poll could not be sent just now: ${poll.error} It goes again in 5 minutes; nothing to do.`;
  return `The ${kindName[poll.kind]} poll was not sent: ${poll.error}`;
}
