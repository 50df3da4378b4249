import type { Member } from '../domain/member.ts';

/**
 * The chain of managers that making `managerId` the manager of `memberId`
 * would close into a loop: `managerId`, its manager, and so on up to
 * `memberId`. Null when the chain ends without reaching `memberId`.
 */
export function managerLoop(members: ReadonlyMap<string, Member>, memberId: string, managerId: string): Member[] | null {
  const chain: Member[] = [];
  const seen = new Set<string>();
  for (let id: string | null = managerId; id !== null && !seen.has(id); id = members.get(id)?.managerId ?? null) {
    seen.add(id);
    const member = members.get(id);
    if (!member) return null;
    chain.push(member);
    if (id === memberId) return chain;
  }
  return null;
}
