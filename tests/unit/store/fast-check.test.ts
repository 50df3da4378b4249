import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contactSchema } from '../../../src/domain/contact.ts';
import { customerSchema } from '../../../src/domain/customer.ts';
import { interactionSchema } from '../../../src/domain/interaction.ts';
import { mailboxSchema } from '../../../src/domain/mailbox.ts';
import { memberSchema } from '../../../src/domain/member.ts';
import { reminderSchema } from '../../../src/domain/reminder.ts';
import { suggestionSchema } from '../../../src/domain/suggestion.ts';
import { compileFastCheck } from '../../../src/store/lowdb/fast-check.ts';

const at = '2026-12-02T17:00:00.000Z';
const email = {
  id: 'int_email', customerId: 'cus_acme', kind: 'email', summary: 'Quote', occurredAt: at, loggedAt: at, loggedBy: 'U0ANA00001',
  linkReason: 'exact_address', permalink: null, direction: 'inbound',
  source: { provider: 'gmail', mailbox: 'ana@ourteam.io', providerId: '18c2', messageId: 'abc@mail.acme.com', threadId: '18c0' },
  snippet: 'Here is the quote', participants: ['jane@acme.com', 'ana@ourteam.io'], unlinkedAt: null, unlinkedBy: null,
};
const message = { ...email, id: 'int_slack', kind: 'message', permalink: 'https://acme.slack.com/archives/C0ACME/p1764694800000100', source: null, participants: [] };
const note = { ...message, id: 'int_note', kind: 'note', permalink: null, direction: null, snippet: null };

/** Records as the store writes them, and how each can be spoiled. */
const cases: { schema: z.ZodType; record: Record<string, unknown>; spoiled: Record<string, unknown>[] }[] = [
  {
    schema: interactionSchema,
    record: email,
    spoiled: [
      { occurredAt: '2025-02-30T00:00:00.000Z' }, { occurredAt: '2026-12-02T17:00:00+01:00' }, { occurredAt: '2026-12-02' }, { loggedAt: 17 },
      { kind: 'fax' }, { id: '' }, { customerId: null }, { participants: ['Jane@Acme.com'] }, { participants: 'jane@acme.com' },
      { source: { ...email.source, provider: 'yahoo' } }, { source: { ...email.source, messageId: '' } },
      { source: { mailbox: 'ana@ourteam.io', provider: 'gmail', providerId: '18c2', messageId: null, threadId: null } },
      { source: { ...email.source, extra: 1 } }, { direction: 'sideways' }, { unlinkedAt: 'yesterday' }, { snippet: 3 },
    ],
  },
  { schema: interactionSchema, record: message, spoiled: [{ permalink: 'not a url' }, { permalink: ' https://acme.slack.com/x' }, { permalink: 'https://a b.com' }] },
  { schema: interactionSchema, record: note, spoiled: [{ summary: null }, { linkReason: 'guess' }] },
  {
    schema: customerSchema,
    record: { id: 'cus_acme', name: 'Acme Corp', domains: ['acme.com', 'acme.io'], ownerId: null, createdAt: at, createdBy: 'U0ANA00001' },
    spoiled: [{ name: ' Acme Corp' }, { name: 'Acme Corp ' }, { name: '' }, { name: ' ' }, { domains: ['Acme.com'] }, { domains: ['acme'] }, { domains: [''] }, { ownerId: 3 }],
  },
  {
    schema: contactSchema,
    record: { id: 'con_jane', email: 'jane@acme.com', name: 'Jane Doe', customerId: 'cus_acme', source: 'manual', createdAt: at, createdBy: 'U0ANA00001' },
    spoiled: [{ email: 'jane' }, { email: 'jane@acme.com ' }, { name: 'Jane\t' }, { name: '' }, { source: 'phone' }, { createdBy: '' }],
  },
  {
    schema: contactSchema,
    record: {
      id: 'con_lee', email: 'lee@acme.com', name: null, customerId: null, source: 'mail', createdAt: at, createdBy: 'U0ANA00001',
      optedOut: { at, by: 'U0ANA00001' }, birthday: '03-21',
    },
    spoiled: [{ birthday: '02-30' }, { birthday: null }, { optedOut: { at } }, { preferredHours: { from: '9:00', to: '17:00', tz: 'UTC' } }, { optedOut: undefined, birthday: 3 }],
  },
  {
    schema: reminderSchema,
    record: { id: 'rem_1', customerId: 'cus_acme', ownerId: 'U0ANA00001', text: 'Call back', dueAt: at, status: 'open', deliveredAt: null, doneAt: null, createdAt: at },
    spoiled: [{ text: ' Call back' }, { text: '' }, { status: 'maybe' }, { dueAt: null }],
  },
  {
    schema: memberSchema,
    record: { id: 'U0ANA00001', name: 'Ana Lima', email: 'ana@ourteam.io', tz: 'America/Los_Angeles', role: 'admin', managerId: null, createdAt: at, profileCheckedAt: at },
    spoiled: [{ tz: 'Mars/Olympus' }, { role: 'owner' }, { email: 'ana@OurTeam.io' }],
  },
  {
    schema: suggestionSchema,
    record: { id: 'sug_1', domain: 'initech.io', status: 'pending', firstSeenAt: at, lastSeenAt: at, messageCount: 2, people: [{ email: 'lee@initech.io', name: 'Lee' }], seenBy: ['U0ANA00001'], decidedAt: null, decidedBy: null },
    spoiled: [{ messageCount: -1 }, { messageCount: 1.5 }, { people: Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@initech.io`, name: null })) }],
  },
];

/** The check may say no to anything; it may say yes only where zod accepts the value and returns it as it is. */
function agreesWithZod(schema: z.ZodType, value: unknown): boolean {
  const fast = compileFastCheck(schema)(value);
  const zod = schema.safeParse(value);
  if (!fast) return true;
  return zod.success && JSON.stringify(zod.data) === JSON.stringify(value);
}

describe('the fast check of records as the store writes them', () => {
  it('passes every record written as the store writes it, exactly as zod returns it', () => {
    for (const { schema, record } of cases) {
      expect(compileFastCheck(schema)(record)).toBe(true);
      expect(JSON.stringify(schema.parse(record))).toBe(JSON.stringify(record));
    }
    expect(compileFastCheck(mailboxSchema)).toBeTypeOf('function');
  });

  it('leaves to zod every record zod rejects, or would change: a bad value, a missing default, another key order, a key too many', () => {
    for (const { schema, record, spoiled } of cases) {
      for (const change of spoiled) {
        const value = { ...record, ...change };
        expect(agreesWithZod(schema, value), JSON.stringify(change)).toBe(true);
        expect(compileFastCheck(schema)(value), JSON.stringify(change)).toBe(false);
      }
      const [first, ...rest] = Object.keys(record);
      const missing = Object.fromEntries(rest.map((key) => [key, record[key]]));
      const reordered = { ...missing, [first!]: record[first!] };
      for (const value of [missing, reordered, { ...record, extra: true }, null, [], 'record']) {
        expect(agreesWithZod(schema, value)).toBe(true);
        expect(compileFastCheck(schema)(value)).toBe(false);
      }
    }
  });

  it('leaves a record written before a field had a default to zod, which fills it in', () => {
    const { snippet: _snippet, participants: _participants, ...old } = email;
    expect(compileFastCheck(interactionSchema)(old)).toBe(false);
    expect(interactionSchema.parse(old)).toMatchObject({ snippet: null, participants: [] });
  });
});
