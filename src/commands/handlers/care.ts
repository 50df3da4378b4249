import type { Contact, PreferredHours } from '../../domain/contact.ts';
import type { Customer } from '../../domain/customer.ts';
import { NotFoundError } from '../../errors.ts';
import { textReply, type Reply } from '../../reply.ts';
import { customerOfDomain } from '../../resolve/customer-reference.ts';
import { isFreeMail } from '../../resolve/free-mail-domains.ts';
import { zoneOf, type CommandContext } from '../context.ts';
import { describeBirthday, describeHours } from '../render/contact-care.ts';
import { memberNames } from '../render/format.ts';

/**
 * `/crm optout <email>`: the person asked not to be contacted unasked. An
 * address that is no contact yet becomes one (at the customer owning its
 * domain), so that the wish is remembered when their mail or a poll comes.
 */
export async function optOut(ctx: CommandContext, email: string): Promise<Reply> {
  const existing = await ctx.store.contacts.byEmail(email);
  if (existing?.optedOut) {
    const by = (await memberNames(ctx.store, [existing.optedOut.by])).get(existing.optedOut.by);
    return textReply(`${who(existing)} has already opted out (noted by ${by} on ${existing.optedOut.at.slice(0, 10)}). Undo with /crm optin ${email}.`);
  }
  const optedOut = { at: ctx.clock.now().toISOString(), by: ctx.actor.id };
  const contact: Contact = existing ? { ...existing, optedOut } : { ...(await newContact(ctx, email)), optedOut };
  if (existing) await ctx.store.contacts.update(contact);
  else await ctx.store.contacts.insert(contact);
  const customer = await customerOf(ctx, contact);
  const added = existing ? '' : ` ${email} was not a contact yet: it is one now${customer ? ` at *${customer.name}*` : ''}, so that this is remembered.`;
  const card = customer ? `*${customer.name}*'s card warns` : 'the card of any customer they join will warn';
  return textReply(`Noted: ${who(contact)} asked not to be contacted unasked. No poll goes to them, and ${card} everyone before they reach out.${added} Undo with /crm optin ${email}.`);
}

/** `/crm optin <email>`: undoes an opt-out. */
export async function optIn(ctx: CommandContext, email: string): Promise<Reply> {
  const contact = await ctx.store.contacts.byEmail(email);
  if (!contact?.optedOut) return textReply(`${contact ? who(contact) : email} has not opted out; nothing changed. To note an opt-out: /crm optout ${email}.`);
  const { optedOut: _, ...optedIn } = contact;
  await ctx.store.contacts.update(optedIn);
  return textReply(`${who(contact)} may be contacted again: polls can go to them, and the card no longer warns. Undo with /crm optout ${email}.`);
}

/** `/crm prefer <email> <from>-<to> [zone]`: when polls may reach the contact. */
export async function prefer(ctx: CommandContext, email: string, hours: PreferredHours | null): Promise<Reply> {
  const contact = await knownContact(ctx, email);
  if (hours === null) {
    const { preferredHours: _, ...rest } = contact;
    await ctx.store.contacts.update(rest);
    return textReply(`${who(contact)} has no preferred hours now: polls go out when they are asked for.`);
  }
  await ctx.store.contacts.update({ ...contact, preferredHours: hours });
  const when = describeHours(hours, zoneOf(ctx, ctx.actor), ctx.clock.now());
  return textReply(`${who(contact)} prefers to be reached ${when}. Polls to them wait for these hours, and the card shows them. Clear with /crm prefer ${email} none.`);
}

/** `/crm birthday <email> <date>`: shown on the card. */
export async function setBirthday(ctx: CommandContext, email: string, birthday: string | null): Promise<Reply> {
  const contact = await knownContact(ctx, email);
  if (birthday === null) {
    const { birthday: _, ...rest } = contact;
    await ctx.store.contacts.update(rest);
    return textReply(`${who(contact)} has no birthday on record now.`);
  }
  await ctx.store.contacts.update({ ...contact, birthday });
  return textReply(`${who(contact)}'s birthday is ${describeBirthday(birthday)}; the card shows it. Clear with /crm birthday ${email} none.`);
}

async function knownContact(ctx: CommandContext, email: string): Promise<Contact> {
  const contact = await ctx.store.contacts.byEmail(email);
  if (!contact) throw new NotFoundError(`${email} is not a contact yet. Add them first: /crm add contact ${email} <name>.`);
  return contact;
}

/** A contact as mail would make it: at the customer owning the address's domain, never by a free-mail domain. */
async function newContact(ctx: CommandContext, email: string): Promise<Contact> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const customer = isFreeMail(domain) ? null : await customerOfDomain(ctx.store, domain);
  return { id: ctx.ids('con'), email, name: null, customerId: customer?.id ?? null, source: 'manual', createdAt: ctx.clock.now().toISOString(), createdBy: ctx.actor.id };
}

async function customerOf(ctx: CommandContext, contact: Contact): Promise<Customer | null> {
  return contact.customerId ? ctx.store.customers.get(contact.customerId) : null;
}

function who(contact: Contact): string {
  return contact.name ? `${contact.name} <${contact.email}>` : contact.email;
}
