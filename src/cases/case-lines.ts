import { excerpt, memberNames, relative } from '../commands/render/format.ts';
import type { Case } from '../domain/case.ts';
import type { Block } from '../reply.ts';
import type { Store } from '../store/store.ts';
import { formatInZone } from '../time/zoned.ts';

/** How many closed cases a card shows, the most recently closed first. */
const closedShown = 3;

export function isOverdue(supportCase: Case, now: Date): boolean {
  return Date.parse(supportCase.dueAt) <= now.getTime();
}

/** "*overdue* since Thu 3 Dec, 09:00 (2 hours ago)" or "due Fri 4 Dec, 17:00 (in 2 days)". */
export function dueLabel(supportCase: Case, tz: string, now: Date): string {
  const due = new Date(supportCase.dueAt);
  const at = formatInZone(due, tz, now);
  return isOverdue(supportCase, now) ? `*overdue* since ${at} (${relative(due, now)})` : `due ${at} (${relative(due, now)})`;
}

/** The cases section of a customer's card, from the customer's cases: every open case, overdue ones marked, and the latest closed ones. */
export async function caseBlocks(store: Store, cases: readonly Case[], tz: string, now: Date): Promise<Block[]> {
  const open = cases.filter((c) => c.status === 'open').sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const closed = cases
    .filter((c) => c.status === 'closed')
    .sort((a, b) => Date.parse(b.closedAt ?? b.openedAt) - Date.parse(a.closedAt ?? a.openedAt))
    .slice(0, closedShown);
  const names = await memberNames(store, [...open.map((c) => c.openedBy), ...closed.map((c) => c.closedBy)]);
  const blocks: Block[] = [];
  if (open.length > 0) {
    blocks.push({
      type: 'list',
      title: 'Open cases',
      items: open.map((c) => `${dueLabel(c, tz, now)}: ${excerpt(c.text)} (opened by ${names.get(c.openedBy)}; ${c.id})`),
    });
  }
  if (closed.length > 0) {
    blocks.push({
      type: 'list',
      title: 'Recently closed cases',
      items: closed.map((c) => {
        const note = c.closeNote ? `: ${excerpt(c.closeNote, 80)}` : '';
        const when = c.closedAt ? ` ${formatInZone(new Date(c.closedAt), tz, now)}` : '';
        return `${excerpt(c.text, 80)}, closed${when} by ${c.closedBy ? names.get(c.closedBy) : 'someone'}${note}`;
      }),
    });
  }
  return blocks;
}
