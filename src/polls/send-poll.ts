import { GuanxiError } from '../errors.ts';
import type { Poll } from '../domain/poll.ts';
import { providerName } from '../mail/mail-deps.ts';
import { replyOf, type Reply } from '../reply.ts';
import type { PollDeps } from './poll-deps.ts';
import { pollMail } from './poll-mail.ts';
import { pollScales, scoresOf } from './poll-scales.ts';

/** How long a poll waits after its provider failed in a way that passes (a 5xx, a 429), or a send that never finished. */
export const retryInMs = 5 * 60_000;

/**
 * Sends one poll now: by mail from the asker's own mailbox, or as buttons in
 * the customer's linked channel. The stored poll says what happened: `sent`;
 * still `scheduled` a few minutes on when the provider failed in passing;
 * `failed`, with the reason in words, when someone must act first.
 */
export async function sendPoll(deps: PollDeps, poll: Poll): Promise<Poll> {
  const now = deps.clock.now();
  let next: Poll;
  try {
    await (poll.via === 'slack' ? postInChannel(deps, poll) : sendByMail(deps, poll));
    next = { ...poll, status: 'sent', sentAt: now.toISOString(), error: null };
  } catch (error) {
    if (error instanceof GuanxiError && error.code === 'provider_temporary') {
      deps.log.warn(`poll ${poll.id} could not be sent yet; tried again in 5 minutes`, error);
      next = { ...poll, status: 'scheduled', sendAt: new Date(now.getTime() + retryInMs).toISOString(), error: error.message };
    } else {
      if (!(error instanceof GuanxiError)) deps.log.error(`poll ${poll.id} could not be sent`, error);
      next = { ...poll, status: 'failed', error: failureText(poll, error) };
    }
  }
  await deps.store.polls.update(next);
  return next;
}

async function sendByMail(deps: PollDeps, poll: Poll): Promise<void> {
  if (!deps.mail || !deps.links) throw new GuanxiError('user_input', 'Mail is no longer set up on this guanxi, so the poll cannot go by mail.');
  const provider = poll.via as 'gmail' | 'outlook';
  const mailbox = (await deps.store.mailboxes.byMember(poll.askedBy)).find((m) => m.provider === provider && m.status === 'active');
  if (!mailbox) throw new GuanxiError('provider_auth', `The ${providerName[provider]} mailbox it was to go from is no longer connected.`);
  const [contact, asker] = await Promise.all([poll.contactId ? deps.store.contacts.get(poll.contactId) : null, deps.store.members.get(poll.askedBy)]);
  if (contact?.optedOut) throw new GuanxiError('user_input', `${contact.email} opted out of being contacted since it was asked.`);
  const links = deps.links;
  const expiresAt = new Date(poll.expiresAt);
  const base = links.url({ pollId: poll.id, respondent: poll.email! }, expiresAt);
  const mail = pollMail({ poll, recipientName: contact?.name ?? null, senderName: asker?.name ?? mailbox.address, link: (score) => `${base}?score=${score}`, expiresAt });
  await deps.mail.send(mailbox, mail);
}

async function postInChannel(deps: PollDeps, poll: Poll): Promise<void> {
  if (!deps.notifier) throw new GuanxiError('user_input', 'Slack is not connected, so the poll cannot be posted in the channel.');
  const asker = await deps.store.members.get(poll.askedBy);
  await deps.notifier.post(poll.channelId!, channelPoll(poll, asker?.name ?? 'Our team'));
}

/** The poll as a message in the customer's channel: the question, one button per score. */
export function channelPoll(poll: Poll, askerName: string): Reply {
  const scale = pollScales[poll.kind];
  return replyOf([
    { type: 'text', text: `*${askerName}* asks: ${scale.question}` },
    { type: 'actions', actions: scoresOf(poll.kind).map((score) => ({ id: 'poll_answer' as const, label: String(score), value: `${poll.id} ${score}`, style: null })) },
    { type: 'context', text: `${scale.min} = ${scale.low}, ${scale.max} = ${scale.high}. Only you see your answer; click another score to change it.` },
  ]);
}

function failureText(poll: Poll, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  // The adapter's words say what to do when only an admin can fix it (the app's own access lacks Mail.Send).
  if (error instanceof GuanxiError && error.code === 'provider_auth' && poll.via !== 'slack' && !/an admin/.test(reason)) {
    return `${reason} Reconnect with /crm connect ${poll.via}, then ask for the poll again.`;
  }
  if (poll.via === 'slack') return `Slack refused the post in <#${poll.channelId}> (${reason}). If guanxi is not in the channel, add it with /invite @guanxi, then ask again.`;
  return reason;
}
