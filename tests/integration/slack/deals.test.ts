import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people } from '../../support/guanxi.ts';

describe('/crm deal', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start();
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add customer Globex globex.com');
  });
  afterEach(() => guanxi.stop());

  const dealsOf = async (name: string) => {
    const [customer] = await guanxi.server.core.store.customers.byName(name);
    return guanxi.server.core.store.deals.byCustomer(customer!.id);
  };

  it('records a deal, then moves the customer’s one open deal on, keeping each step', async () => {
    expect(await guanxi.crmText(people.ana.id, 'deal acme 12k')).toContain('New deal with *Acme Corp*: 12,000, lead.');
    await guanxi.clock.sleep(60_000);
    expect(await guanxi.crmText(people.bo.id, 'deal acme 15,000 proposal')).toContain('The deal with *Acme Corp*: 15,000, proposal (was 12,000, lead).');
    await guanxi.clock.sleep(60_000);
    await guanxi.crm(people.ana.id, 'deal acme 15000 won');

    const [deal] = await dealsOf('Acme Corp');
    expect(deal).toMatchObject({ name: 'Acme Corp', amount: 15_000, stage: 'won', closedAt: deal!.updatedAt });
    expect(deal!.history.map((step) => [step.stage, step.amount, step.by])).toEqual([
      ['lead', 12_000, people.ana.id],
      ['proposal', 15_000, people.bo.id],
      ['won', 15_000, people.ana.id],
    ]);
    expect(await guanxi.crmText(people.ana.id, 'deal acme 15000 won')).toContain('already 15,000, won; nothing changed. To record another deal like it, give it a name');
    expect(await dealsOf('Acme Corp')).toHaveLength(1);
  });

  it('starts a second deal once the first is closed, and asks which one when several are open', async () => {
    await guanxi.crm(people.ana.id, 'deal acme 5000 won');
    await guanxi.clock.sleep(60_000);
    expect(await guanxi.crmText(people.ana.id, 'deal acme 8000 qualified')).toContain('New deal with *Acme Corp*: 8,000, qualified.');
    await guanxi.clock.sleep(60_000);
    await guanxi.crm(people.ana.id, 'deal acme 2000 lead "Support plan"');

    const text = await guanxi.crmText(people.ana.id, 'deal acme 9000 proposal');
    expect(text).toContain('*Acme Corp* has 2 open deals: "Support plan" (2,000, lead), "Acme Corp #2" (8,000, qualified).');
    expect(text).toContain('Usage: /crm deal <customer> <amount>');
    expect((await dealsOf('Acme Corp')).map((d) => [d.name, d.amount, d.stage])).toEqual([
      ['Support plan', 2000, 'lead'],
      ['Acme Corp #2', 8000, 'qualified'],
      ['Acme Corp', 5000, 'won'],
    ]);
    await guanxi.crm(people.ana.id, 'deal acme 9000 proposal "acme corp #2"');
    expect((await dealsOf('Acme Corp')).find((d) => d.name === 'Acme Corp #2')).toMatchObject({ amount: 9000, stage: 'proposal' });
  });

  it('lists the open deals biggest first, and every deal of one customer', async () => {
    await guanxi.crm(people.ana.id, 'deal acme 5000 won');
    await guanxi.crm(people.ana.id, 'deal acme 2000 lead "Support plan"');
    await guanxi.crm(people.ana.id, 'deal globex 40k proposal');

    const team = await guanxi.crmText(people.bo.id, 'deal list');
    expect(team).toContain('Open deals: 2 deals, 42,000 in all');
    expect(team.indexOf('*Globex*: Globex: 40,000, proposal')).toBeLessThan(team.indexOf('*Acme Corp*: Support plan: 2,000, lead'));
    expect(team).not.toContain('won');

    const acme = await guanxi.crmText(people.bo.id, 'deal list acme');
    expect(acme).toContain('Open (2,000):\n  • Support plan: 2,000, lead');
    expect(acme).toContain('Closed:\n  • Acme Corp: 5,000, won');
  });

  it('says how to fix a deal for an unknown customer or without an amount, and stores nothing', async () => {
    expect(await guanxi.crmText(people.ana.id, 'deal nobody 500')).toContain('No customer matches "nobody"');
    expect(await guanxi.crmText(people.ana.id, 'deal acme lots')).toContain('Add the amount after the customer');
    expect(await guanxi.crmText(people.ana.id, 'deal list globex')).toContain('*Globex* has no deals yet.');
    expect(await guanxi.server.core.store.deals.open()).toEqual([]);
  });
});
