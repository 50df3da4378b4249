import type { Clock } from '../clock.ts';
import { relative } from '../commands/render/format.ts';
import type { Case } from '../domain/case.ts';
import type { Customer } from '../domain/customer.ts';
import type { Member } from '../domain/member.ts';
import type { Logger } from '../logger.ts';
import type { Notifier } from '../notifier.ts';
import { replyOf, type Reply } from '../reply.ts';
import type { Store } from '../store/store.ts';
import { formatInZone } from '../time/zoned.ts';

export interface EscalationDeps {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  /** The zone of people whose own zone is unknown. */
  defaultTimeZone: string;
}

/** Who hears of an overdue case, and why them. */
interface Route {
  owner: Member | null;
  recipients: Member[];
  /** Completes "You get this …". */
  because: string;
}

/**
 * Sends every open case that has passed its deadline, and was not yet sent, to
 * the manager of the customer's owner, or to the admins when there is no such
 * manager (CRM-CONCEPTS.md, section 6). A case is marked escalated only once
 * every DM was accepted: a failure is tried again next run for those not yet
 * told (who was is kept in `escalatedTo`), the other cases go on, and a
 * restart sends what came due while the service was down.
 */
export async function escalateOverdueCases(deps: EscalationDeps): Promise<number> {
  const { store, log } = deps;
  const now = deps.clock.now();
  let escalated = 0;
  for (const overdue of await store.cases.overdue(now)) {
    const customer = await store.customers.get(overdue.customerId);
    const route = await routeOf(store, customer);
    const opener = (await store.members.get(overdue.openedBy))?.name ?? overdue.openedBy;
    // Those told on an earlier run that failed for someone else are not told again.
    const told = new Set(overdue.escalatedTo?.split(',') ?? []);
    let failed = false;
    for (const recipient of route.recipients.filter((member) => !told.has(member.id))) {
      try {
        const message = escalationMessage({ overdue, customer, opener, route }, recipient.tz ?? deps.defaultTimeZone, now);
        if (!(await deps.notifier.direct(recipient.id, message))) log.warn(`case ${overdue.id} is overdue but ${recipient.id} cannot get a Slack DM`);
        told.add(recipient.id);
      } catch (error) {
        log.error(`case ${overdue.id} could not be escalated to ${recipient.id}; it is tried again next minute`, error);
        failed = true;
      }
    }
    if (route.recipients.length === 0) log.warn(`case ${overdue.id} is overdue and there is no manager or admin to tell`);
    // Read again, and written only while still open: the case may be closed while the DMs go out, and that must stand.
    const current = await store.cases.get(overdue.id);
    if (!current) continue;
    const escalatedTo = [...told].join(',') || null;
    if (await store.cases.updateOpen({ ...current, escalatedAt: failed ? null : now.toISOString(), escalatedTo })) escalated += failed ? 0 : 1;
  }
  return escalated;
}

async function routeOf(store: Store, customer: Customer | null): Promise<Route> {
  const owner = customer?.ownerId ? await store.members.get(customer.ownerId) : null;
  const manager = owner?.managerId ? await store.members.get(owner.managerId) : null;
  if (owner && manager) return { owner, recipients: [manager], because: `as ${owner.name}'s manager` };
  const admins = (await store.members.list()).filter((member) => member.role === 'admin');
  const why = !customer
    ? 'its customer was removed'
    : !owner
      ? `*${customer.name}* has no owner (give it one with /crm assign)`
      : `${owner.name} has no manager (an admin sets one with /crm team)`;
  return { owner, recipients: admins, because: `as an admin, because ${why}` };
}

interface Escalation {
  overdue: Case;
  customer: Customer | null;
  /** The name of who opened the case. */
  opener: string;
  route: Route;
}

function escalationMessage({ overdue, customer, opener, route }: Escalation, tz: string, now: Date): Reply {
  const name = customer?.name ?? 'a removed customer';
  const due = new Date(overdue.dueAt);
  return replyOf([
    { type: 'text', text: `*Overdue case* on *${name}*: ${overdue.text} (${overdue.id})` },
    {
      type: 'fields',
      fields: [
        { label: 'Overdue', value: `since ${formatInZone(due, tz, now)} (${relative(due, now)})` },
        { label: 'Owner', value: route.owner?.name ?? 'nobody' },
        { label: 'Opened', value: `${formatInZone(new Date(overdue.openedAt), tz, now)} by ${opener}` },
      ],
    },
    ...(customer ? [{ type: 'actions' as const, actions: [{ id: 'open_customer' as const, label: `Open ${customer.name}`.slice(0, 70), value: customer.id, style: 'primary' as const }] }] : []),
    { type: 'context', text: `You get this ${route.because}. Times in ${tz}. Close it with /crm case close ${overdue.id} [note].` },
  ]);
}
