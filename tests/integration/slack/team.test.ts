import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';

const mention = (person: { id: string; name: string }) => `<@${person.id}|${person.name}>`;

describe('the team and its roles', () => {
  let guanxi: Guanxi;
  beforeEach(async () => {
    guanxi = await Guanxi.start();
    // The first person to use guanxi is its admin.
    await guanxi.crm(people.ana.id, 'find acme');
  });
  afterEach(() => guanxi.stop());

  const store = () => guanxi.server.core.store;

  it('an admin gives roles and managers, to people Slack knows who have not used guanxi yet, and everyone sees the team', async () => {
    expect(await guanxi.crmText(people.ana.id, `team ${mention(people.bo)} role manager`)).toBe(
      "Bo Chen is now a manager (was a rep). Managers hear of their team's overdue cases.",
    );
    expect(await guanxi.crmText(people.ana.id, `team ${mention(people.chloe)} manager ${mention(people.bo)}`)).toBe(
      "Chloé Martin now reports to Bo Chen. Overdue cases on Chloé Martin's customers go to Bo Chen.",
    );

    const team = readBlocks((await guanxi.crm(people.chloe.id, 'team')).reply.body['blocks']);

    expect(team).toContain('The team (3)\n• Ana Lima: admin\n• Bo Chen: manager\n• Chloé Martin: rep, reports to Bo Chen');
    expect(await store().members.get(people.chloe.id)).toMatchObject({ role: 'rep', managerId: people.bo.id, tz: 'Europe/Paris' });
  });

  it('takes a manager away with none', async () => {
    await guanxi.crm(people.ana.id, `team ${mention(people.chloe)} manager ${mention(people.bo)}`);

    expect(await guanxi.crmText(people.ana.id, `team ${mention(people.chloe)} manager none`)).toBe('Chloé Martin no longer reports to Bo Chen, and has no manager now.');
    expect((await store().members.get(people.chloe.id))?.managerId).toBeNull();
  });

  it('refuses a rep who changes the team, blocks, unblocks or forgets, naming the admin to ask; the team and the block list stay open to them', async () => {
    await guanxi.crm(people.ana.id, 'block @newsletter.example');

    expect(await guanxi.crmText(people.chloe.id, `team ${mention(people.chloe)} role admin`)).toBe('Only an admin can change the team. Ask Ana Lima.');
    expect(await guanxi.crmText(people.chloe.id, `team ${mention(people.chloe)} manager ${mention(people.ana)}`)).toBe('Only an admin can change the team. Ask Ana Lima.');
    expect(await guanxi.crmText(people.chloe.id, 'block jane@acme.com')).toBe('Only an admin can block an address or a domain. Ask Ana Lima.');
    expect(await guanxi.crmText(people.chloe.id, 'unblock @newsletter.example')).toBe('Only an admin can unblock an address or a domain. Ask Ana Lima.');
    expect(await guanxi.crmText(people.chloe.id, 'forget jane@acme.com')).toBe('Only an admin can forget a person. Ask Ana Lima.');

    expect(await store().members.get(people.chloe.id)).toMatchObject({ role: 'rep', managerId: null });
    expect(await guanxi.crmText(people.chloe.id, 'block list')).toBe('Not logged (1):\n  • @newsletter.example');
    expect(await guanxi.crmText(people.chloe.id, 'team')).toContain('Chloé Martin: rep');
  });

  it('lets a new admin do what admins do, and the old one step down', async () => {
    await guanxi.crm(people.ana.id, `team ${mention(people.chloe)} role admin`);

    expect(await guanxi.crmText(people.chloe.id, 'block jane@acme.com')).toContain('Blocked: mail with jane@acme.com is not logged from now on.');
    expect(await guanxi.crmText(people.ana.id, `team ${mention(people.ana)} role rep`)).toContain('Ana Lima is now a rep (was an admin).');
    expect(await guanxi.crmText(people.ana.id, 'unblock jane@acme.com')).toBe('Only an admin can unblock an address or a domain. Ask Chloé Martin.');
  });

  it("warns an admin who blocks a customer's domain or contact that the customer's mail with it stops being logged", async () => {
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com Jane Doe');

    expect(await guanxi.crmText(people.ana.id, 'block @mail.acme.com')).toContain(
      "Blocked: mail with anyone at mail.acme.com is not logged from now on. Note: it is a domain of Acme Corp, so Acme Corp's mail with it stops being logged too.",
    );
    expect(await guanxi.crmText(people.ana.id, 'block jane@acme.com')).toContain("Note: it is a contact of Acme Corp, so Acme Corp's mail with it stops being logged too.");
    expect(await guanxi.crmText(people.ana.id, 'block @newsletter.example')).toBe(
      'Blocked: mail with anyone at newsletter.example is not logged from now on. What was logged before stays; take a mail off a timeline with /crm unlink. Undo with /crm unblock @newsletter.example.',
    );
  });

  it('refuses to demote the last admin', async () => {
    const text = await guanxi.crmText(people.ana.id, `team ${mention(people.ana)} role manager`);

    expect(text).toBe('Ana Lima is the only admin, and the team needs one to manage it. Make someone else an admin first: /crm team @user role admin.');
    expect((await store().members.get(people.ana.id))?.role).toBe('admin');
  });

  it('refuses to make someone their own manager, or a loop of managers', async () => {
    await guanxi.crm(people.ana.id, `team ${mention(people.chloe)} manager ${mention(people.bo)}`);
    await guanxi.crm(people.ana.id, `team ${mention(people.bo)} manager ${mention(people.ana)}`);

    expect(await guanxi.crmText(people.ana.id, `team ${mention(people.bo)} manager ${mention(people.bo)}`)).toContain(
      'Nobody can be their own manager. Mention someone else, or say none: /crm team @user manager none.',
    );
    expect(await guanxi.crmText(people.ana.id, `team ${mention(people.ana)} manager ${mention(people.chloe)}`)).toBe(
      'That would make a loop of managers (each reporting to the next): Ana Lima → Chloé Martin → Bo Chen → Ana Lima. Give Chloé Martin another manager first, or none.',
    );
    expect((await store().members.get(people.ana.id))?.managerId).toBeNull();
    expect((await store().members.get(people.bo.id))?.managerId).toBe(people.ana.id);
  });

  it('says so when Slack does not know the person mentioned, and adds nobody', async () => {
    const text = await guanxi.crmText(people.ana.id, 'team <@U0NOBODY01|nobody> role manager');

    expect(text).toBe('Slack does not know that person. Mention a member of this workspace with @, e.g. /crm team @jane role manager.');
    expect((await store().members.list()).map((m) => m.id)).toEqual([people.ana.id]);
  });

  it('answers a mistyped team command with the right form', async () => {
    const text = await guanxi.crmText(people.ana.id, `team ${mention(people.bo)} role boss`);

    expect(text).toBe('Say one role: rep, manager or admin; "boss" is not one.\nUsage: /crm team <@user> role <rep|manager|admin>\nExample: /crm team @jane role manager');
  });
});
