import type { Customer } from '../domain/customer.ts';
import { ConflictError, NotFoundError } from '../errors.ts';

/** What both stores check before `markMerged`: two distinct customers, the target not itself a redirect. */
export function assertMergeable(
  fromId: string,
  toId: string,
  from: Customer | null | undefined,
  to: Customer | null | undefined,
): { from: Customer; to: Customer } {
  if (!from) throw new NotFoundError(`There is no customer with the id ${fromId}.`);
  if (!to) throw new NotFoundError(`There is no customer with the id ${toId}.`);
  if (fromId === toId) throw new ConflictError(`A customer cannot be merged into itself (${fromId}).`);
  if (to.mergedInto !== undefined) throw new ConflictError(`${to.name} (${toId}) was merged into ${to.mergedInto}; merge into that one instead.`);
  if (from.mergedInto !== undefined && from.mergedInto !== toId) throw new ConflictError(`${from.name} (${fromId}) was already merged into ${from.mergedInto}.`);
  return { from, to };
}
