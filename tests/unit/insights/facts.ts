import type { Case } from '../../../src/domain/case.ts';
import type { Customer } from '../../../src/domain/customer.ts';
import type { Deal } from '../../../src/domain/deal.ts';
import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import type { Poll } from '../../../src/domain/poll.ts';
import type { CustomerFacts } from '../../../src/insights/facts.ts';

/** Monday 7 December 2026, 09:00 UTC: "now" in these tests. */
export const now = new Date('2026-12-07T09:00:00Z');

/** `days` days before now (fractions allowed), as a stored instant. */
export function daysAgo(days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

export const acme: Customer = { id: 'cus_acme', name: 'Acme', domains: ['acme.com'], ownerId: 'U1', createdAt: daysAgo(800), createdBy: 'U1' };

export function facts(fields: Partial<CustomerFacts> = {}): CustomerFacts {
  return { customer: acme, interactions: [], deals: [], polls: [], cases: [], tier: null, ...fields };
}

let serial = 0;

/** A touch `days` ago: a call unless said otherwise. */
export function touch(days: number, fields: Partial<Interaction> = {}): Interaction {
  const at = daysAgo(days);
  return {
    id: `int_${++serial}`,
    customerId: 'cus_acme',
    kind: 'call',
    summary: 'Talked',
    occurredAt: at,
    loggedAt: at,
    loggedBy: 'U1',
    linkReason: 'manual',
    permalink: null,
    ...notAMessage,
    ...fields,
  };
}

/** A mail `days` ago in a thread; inbound from jane@acme.com to ana@ours.com unless said otherwise. */
export function mail(days: number, direction: 'inbound' | 'outbound', thread: string, fields: Partial<Interaction> = {}): Interaction {
  return touch(days, {
    kind: 'email',
    summary: 'Re: the renewal',
    linkReason: 'domain',
    direction,
    source: { provider: 'gmail', mailbox: 'ana@ours.com', providerId: `gm-${serial}`, messageId: `m${serial}@x.com`, threadId: thread },
    snippet: '…',
    participants: ['jane@acme.com', 'ana@ours.com'],
    ...fields,
  });
}

/** Newest first, as timelines are read. */
export function timeline(...interactions: Interaction[]): Interaction[] {
  return interactions.sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
}

export function wonDeal(days: number, amount: number, name = `Deal ${days}`): Deal {
  const at = daysAgo(days);
  return { id: `dea_${++serial}`, customerId: 'cus_acme', name, amount, stage: 'won', createdBy: 'U1', createdAt: at, updatedAt: at, closedAt: at, history: [{ at, by: 'U1', stage: 'won', amount }] };
}

export function answeredPoll(kind: Poll['kind'], score: number, days: number): Poll {
  const at = daysAgo(days);
  return {
    id: `pol_${++serial}`, customerId: 'cus_acme', kind, via: 'gmail', contactId: 'con_jane', email: 'jane@acme.com', channelId: null, caseId: null,
    askedBy: 'U1', status: 'sent', sendAt: at, sentAt: at, expiresAt: daysAgo(days - 30), error: null, createdAt: at,
    answers: [{ respondent: 'jane@acme.com', score, comment: null, answeredAt: at, updatedAt: at }],
  };
}

export function openCase(dueDaysAgo: number, text = 'Invoice charged twice'): Case {
  return {
    id: `cas_${++serial}`, customerId: 'cus_acme', text, openedBy: 'U1', openedAt: daysAgo(dueDaysAgo + 2), dueAt: daysAgo(dueDaysAgo),
    status: 'open', escalatedAt: null, escalatedTo: null, closedAt: null, closedBy: null, closeNote: null,
  };
}
