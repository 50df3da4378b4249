import { ForbiddenError } from '../errors.ts';
import type { Member } from '../domain/member.ts';
import type { Store } from '../store/store.ts';

/**
 * Refuses anyone but an admin, naming the admins to ask. `what` completes
 * "Only an admin can …", such as "block an address".
 */
export async function requireAdmin(store: Store, actor: Member, what: string): Promise<void> {
  if (actor.role === 'admin') return;
  const admins = (await store.members.list()).filter((member) => member.role === 'admin').map((member) => member.name);
  const ask = admins.length > 0 ? ` Ask ${admins.join(' or ')}.` : '';
  throw new ForbiddenError(`Only an admin can ${what}.${ask}`);
}
