import type { Clock } from '../clock.ts';
import type { Suggestion } from '../domain/suggestion.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../store/store.ts';

export interface Sighting {
  domain: string;
  email: string;
  name: string | null;
  seenAt: Date;
  seenBy: string;
}

const peopleKept = 5;

/**
 * Remembers work domains that no customer owns, one suggestion per domain,
 * counting messages. A dismissed domain stays dismissed: it is not raised again.
 */
export async function noteSightings(deps: { store: Store; clock: Clock; ids: IdGenerator }, sightings: Sighting[]): Promise<number> {
  const byDomain = new Map<string, Sighting[]>();
  for (const sighting of sightings) byDomain.set(sighting.domain, [...(byDomain.get(sighting.domain) ?? []), sighting]);
  // Each domain's suggestion is read and written with nothing in between; all domains at once, so their writes share a flush.
  const raised = await Promise.all(
    [...byDomain].map(async ([domain, seen]) => {
      let fresh = false;
      await deps.store.suggestions.change(domain, (known) => {
        if (known && known.status !== 'pending') return null;
        fresh = known === null;
        return merged(deps, domain, known, seen);
      });
      return fresh ? 1 : 0;
    }),
  );
  return raised.reduce((sum: number, one) => sum + one, 0);
}

/** The suggestion for `domain` with `seen` counted in. */
function merged(deps: { ids: IdGenerator }, domain: string, known: Suggestion | null, seen: Sighting[]): Suggestion {
  const people = [...(known?.people ?? [])];
  for (const { email, name } of seen) {
    if (people.length < peopleKept && !people.some((p) => p.email === email)) people.push({ email, name });
  }
  const latest = new Date(Math.max(...seen.map((s) => s.seenAt.getTime())));
  return {
    id: known?.id ?? deps.ids('sug'),
    domain,
    status: 'pending',
    firstSeenAt: known?.firstSeenAt ?? new Date(Math.min(...seen.map((s) => s.seenAt.getTime()))).toISOString(),
    lastSeenAt: known && Date.parse(known.lastSeenAt) > latest.getTime() ? known.lastSeenAt : latest.toISOString(),
    messageCount: (known?.messageCount ?? 0) + seen.length,
    people,
    seenBy: [...new Set([...(known?.seenBy ?? []), ...seen.map((s) => s.seenBy)])],
    decidedAt: null,
    decidedBy: null,
  };
}
