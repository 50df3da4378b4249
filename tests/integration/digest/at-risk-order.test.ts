import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people } from '../../support/guanxi.ts';

describe('the digest at risk section', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-10-27T17:00:00Z');
  });
  afterEach(() => guanxi.stop());

  it('lists the most valuable customers at risk first within a tier, not by name', async () => {
    // Won revenue: Zulu 50,000, Alpha 30,000, Mike 20,000: Zulu and Alpha are the 80% of tier A.
    for (const [name, amount] of [['Alpha', '30k'], ['Mike', '20k'], ['Zulu', '50k']] as const) {
      await guanxi.crm(people.ana.id, `add customer ${name} ${name.toLowerCase()}.com`);
      await guanxi.crm(people.ana.id, `log ${name} call "Kick-off"`);
      await guanxi.crm(people.ana.id, `deal ${name} ${amount} won`);
    }
    // Six weeks of silence: every A customer is flagged after 30 days.
    guanxi.clock.advance(42 * 24 * 60 * 60_000);

    const digest = await guanxi.crmText(people.ana.id, 'digest');
    const section = digest.slice(digest.indexOf('A and B customers at risk'));
    expect(section.split('\n').slice(1, 3)).toEqual([
      '  • *Zulu* (A): an A customer with no contact for 6 weeks (A customers are flagged after 30 days)',
      '  • *Alpha* (A): an A customer with no contact for 6 weeks (A customers are flagged after 30 days)',
    ]);
  });
});
