import type { Contact } from '../../domain/contact.ts';
import type { Customer } from '../../domain/customer.ts';
import { ConflictError } from '../../errors.ts';
import { textReply, type Reply } from '../../reply.ts';
import { customerOfDomain, exactCustomer } from '../../resolve/customer-reference.ts';
import type { CommandContext } from '../context.ts';

/** `/crm add customer`: a new customer; contacts already known at its domains join it. */
export async function addCustomer(ctx: CommandContext, name: string, domains: string[]): Promise<Reply> {
  const { store } = ctx;
  const sameName = await store.customers.byName(name);
  if (sameName.length > 0) {
    throw new ConflictError(`A customer called *${sameName[0]!.name}* already exists. See it with /crm find ${sameName[0]!.name}, or choose another name.`);
  }
  for (const domain of domains) {
    const owner = await store.customers.byDomain(domain);
    if (owner) throw new ConflictError(`${domain} already belongs to *${owner.name}*. Leave it out, or see that customer with /crm find ${domain}.`);
  }
  const customer: Customer = {
    id: ctx.ids('cus'),
    name,
    domains,
    ownerId: null,
    createdAt: ctx.clock.now().toISOString(),
    createdBy: ctx.actor.id,
  };
  await store.customers.insert(customer);
  const joined = await adoptContacts(ctx, customer);
  const domainText = domains.length > 0 ? ` (${domains.join(', ')})` : '';
  const joinedText = joined > 0 ? ` ${joined} known contact${joined === 1 ? '' : 's'} at ${domains.length === 1 ? 'that domain' : 'those domains'} joined it.` : '';
  return textReply(`Added customer *${name}*${domainText}.${joinedText} Log something with /crm log "${name}" call <what was said>.`);
}

async function adoptContacts(ctx: CommandContext, customer: Customer): Promise<number> {
  let joined = 0;
  for (const domain of customer.domains) {
    for (const contact of await ctx.store.contacts.search(`@${domain}`, 1000)) {
      if (contact.customerId !== null || !contact.email.endsWith(`@${domain}`)) continue;
      await ctx.store.contacts.update({ ...contact, customerId: customer.id });
      joined++;
    }
  }
  return joined;
}

/**
 * `/crm add contact <email> [name] [customer]`: the longest run of trailing
 * words that names a customer is the customer; the words before it are the
 * name. Without one, a customer owning the address's domain takes the contact.
 */
export async function addContact(ctx: CommandContext, email: string, words: string[]): Promise<Reply> {
  const { store } = ctx;
  const existing = await store.contacts.byEmail(email);
  if (existing) {
    const at = existing.customerId ? await store.customers.get(existing.customerId) : null;
    throw new ConflictError(`${email} is already a contact${at ? ` of *${at.name}*` : ''}. See it with /crm find ${email}.`);
  }
  let customer: Customer | null = null;
  let nameWords = words;
  for (let split = 0; split < words.length && !customer; split++) {
    const found = await exactCustomer(store, words.slice(split).join(' '));
    if (found && found.via === null) {
      customer = found.customer;
      nameWords = words.slice(0, split);
    }
  }
  customer ??= await customerOfDomain(store, email.split('@')[1]!);
  const contact: Contact = {
    id: ctx.ids('con'),
    email,
    name: nameWords.length > 0 ? nameWords.join(' ') : null,
    customerId: customer?.id ?? null,
    source: 'manual',
    createdAt: ctx.clock.now().toISOString(),
    createdBy: ctx.actor.id,
  };
  await store.contacts.insert(contact);
  const who = contact.name ? `${contact.name} <${email}>` : email;
  return textReply(
    customer
      ? `Added contact ${who} at *${customer.name}*.`
      : `Added contact ${who}, not yet at any customer. Name the customer at the end to attach it, e.g. /crm add contact ${email} ${contact.name ?? 'Jane Doe'} Acme.`,
  );
}
