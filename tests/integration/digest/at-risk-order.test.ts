import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notAMessage } from '../../../src/domain/interaction.ts';
import { Guanxi, people } from '../../support/guanxi.ts';

describe('the digest at risk section', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-10-27T17:00:00Z');
  });
  afterEach(() => guanxi.stop());

  it('lists the most valuable customers at risk first within a tier, not by name, and the lost after them', async () => {
    // Won revenue: Kilo 100,000, Zulu 50,000, Alpha 30,000, Mike 20,000: Kilo, Zulu and Alpha are the 80% of tier A.
    for (const [name, amount] of [['Alpha', '30k'], ['Kilo', '100k'], ['Mike', '20k'], ['Zulu', '50k']] as const) {
      await guanxi.crm(people.ana.id, `add customer ${name} ${name.toLowerCase()}.com`);
      await guanxi.crm(people.ana.id, `deal ${name} ${amount} won`);
      if (name !== 'Kilo') await guanxi.crm(people.ana.id, `log ${name} call "Kick-off"`);
    }
    // Kilo was last heard from in March, nine months before the digest.
    const [kilo] = await guanxi.server.core.store.customers.byName('Kilo');
    await guanxi.server.core.store.interactions.insert({
      id: 'int_kilo', customerId: kilo!.id, kind: 'call', summary: 'Last call', occurredAt: '2026-03-20T17:00:00.000Z', loggedAt: '2026-03-20T17:00:00.000Z',
      loggedBy: people.ana.id, linkReason: 'manual', permalink: null, ...notAMessage,
    });
    // Six weeks of silence: every A customer is flagged after 30 days.
    guanxi.clock.advance(42 * 24 * 60 * 60_000);

    const digest = await guanxi.crmText(people.ana.id, 'digest');
    const section = digest.slice(digest.indexOf('A and B customers at risk'));
    expect(section.split('\n').slice(1, 4)).toEqual([
      '  • *Zulu* (A): an A customer with no contact for 6 weeks (A customers are flagged after 30 days)',
      '  • *Alpha* (A): an A customer with no contact for 6 weeks (A customers are flagged after 30 days)',
      '  • *Kilo* (A, lost): an A customer with no contact for 9 months (A customers are flagged after 30 days)',
    ]);
  });
});
