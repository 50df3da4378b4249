import { breathe } from '../../breathe.ts';
import type { Interaction } from '../../domain/interaction.ts';
import type { Poll } from '../../domain/poll.ts';
import { replyOf, type Reply } from '../../reply.ts';
import type { Store } from '../../store/store.ts';
import { requireAdmin } from '../../team/require-admin.ts';
import type { CommandContext } from '../context.ts';
import { plural } from '../render/format.ts';

/** What stands where a forgotten address was written. */
const forgottenMark = '(forgotten)';

/**
 * `/crm forget <email>`, a person's right to be forgotten (admins only).
 *
 * Erased: the contact (name, address, opt-out, hours, birthday); the address
 * from every interaction's participants, and there the snippet too (the first
 * words of a mail, which may quote the person); the address wherever it is
 * written in an interaction's subject or snippet (it reads "(forgotten)");
 * the recipient of polls sent to them (a scheduled one is not sent; an answer
 * keeps its score, without who gave it or their comment); the address from a
 * pending customer suggestion's list of people.
 *
 * Kept: each interaction on its customer's timeline (when, what kind, its
 * subject, who logged it, the other participants), because it is the team's
 * record of its dealings with the customer; notes, reminders and cases the
 * team wrote, as written. Added: the address to the block list, the one place
 * it stays, so that new mail with it is not logged and the person is not
 * learnt again; `/crm unblock` would lift that.
 *
 * The block comes first and each step is repeatable, so a forget that fails
 * half-way is finished by running it again.
 */
export async function forget(ctx: CommandContext, email: string): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'forget a person');
  const { store } = ctx;
  if (!(await store.blocks.list()).some((block) => block.id === email)) {
    await store.blocks.put({ id: email, createdAt: ctx.clock.now().toISOString(), createdBy: ctx.actor.id });
  }
  const contact = await store.contacts.byEmail(email);
  const customer = contact?.customerId ? await store.customers.get(contact.customerId) : null;
  const interactions = await forgetInInteractions(store, email);
  const polls = await forgetInPolls(store, email, contact?.id ?? null);
  const suggestions = await forgetInSuggestion(store, email);
  if (contact) await store.contacts.remove(contact.id);

  const done = [
    contact
      ? `removed the contact ${contact.name ? `${contact.name} <${email}>` : email}${customer ? ` of *${customer.name}*` : ''}`
      : 'no contact had this address',
    `took the address off ${plural(interactions, 'interaction')}${interactions > 0 ? `, kept on ${interactions === 1 ? 'its timeline' : 'their timelines'} without it and without the first words of the mail` : ''}`,
    ...(polls > 0 ? [`took it off ${plural(polls, 'poll')}: scores stay, without who was asked or answered, and comments are gone`] : []),
    ...(suggestions > 0 ? ['removed it from the suggested customer it was listed under'] : []),
    'blocked it: new mail from or to it is not logged, and the block list is the one place the address stays',
  ];
  return replyOf([
    { type: 'list', title: `Forgot ${email}`, items: done },
    { type: 'context', text: 'Notes, reminders and cases the team wrote are kept as written. Undo the block, and only that, with /crm unblock.' },
  ]);
}

/**
 * Every interaction is read once: there is no index by participant, and a
 * forget is rare. They are updated one by one after the read.
 */
async function forgetInInteractions(store: Store, email: string): Promise<number> {
  const changed: Interaction[] = [];
  let read = 0;
  for await (const interaction of store.records('interactions')) {
    // A million records read in one go would hold up every other request: let them through now and then.
    if (++read % 10_000 === 0) await breathe();
    const involved = interaction.participants.includes(email);
    if (!involved && !mentions(interaction.summary, email) && !mentions(interaction.snippet, email)) continue;
    changed.push({
      ...interaction,
      participants: interaction.participants.filter((participant) => participant !== email),
      summary: erase(interaction.summary, email),
      snippet: involved || interaction.snippet === null ? null : erase(interaction.snippet, email),
    });
  }
  for (const interaction of changed) await store.interactions.update(interaction);
  return changed.length;
}

async function forgetInPolls(store: Store, email: string, contactId: string | null): Promise<number> {
  const changed: Poll[] = [];
  for await (const poll of store.records('polls')) {
    const asked = poll.email === email || (contactId !== null && poll.contactId === contactId);
    const answered = poll.answers.some((answer) => answer.respondent === email);
    if (!asked && !answered) continue;
    const unsent = asked && poll.status === 'scheduled';
    changed.push({
      ...poll,
      ...(asked ? { email: null, contactId: null } : {}),
      ...(unsent ? { status: 'failed' as const, error: 'Not sent: the person asked to be forgotten.' } : {}),
      answers: poll.answers.map((answer) => (answer.respondent === email ? { ...answer, respondent: forgottenMark, comment: null } : answer)),
    });
  }
  for (const poll of changed) await store.polls.update(poll);
  return changed.length;
}

async function forgetInSuggestion(store: Store, email: string): Promise<number> {
  let forgotten = 0;
  await store.suggestions.change(email.slice(email.lastIndexOf('@') + 1), (suggestion) => {
    if (!suggestion?.people.some((person) => person.email === email)) return null;
    forgotten = 1;
    return { ...suggestion, people: suggestion.people.filter((person) => person.email !== email) };
  });
  return forgotten;
}

function mentions(text: string | null, email: string): boolean {
  return text !== null && text.toLowerCase().includes(email);
}

function erase(text: string, email: string): string {
  return text.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), forgottenMark);
}
