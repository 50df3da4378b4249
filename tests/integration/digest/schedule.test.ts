import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people } from '../../support/guanxi.ts';

const mention = (person: { id: string; name: string }) => `<@${person.id}|${person.name}>`;
const quarterHour = 15 * 60_000;

describe('the digest schedule', () => {
  let guanxi: Guanxi;
  // Thursday 5 March 2026, 12:00 UTC: 04:00 in Los Angeles, 20:00 in Shanghai, 13:00 in Paris.
  // Los Angeles moves from UTC-8 to UTC-7 on Sunday 8 March.
  beforeEach(async () => {
    guanxi = await Guanxi.start('2026-03-05T12:00:00Z');
    await guanxi.crm(people.ana.id, 'help');
    await guanxi.crm(people.ana.id, `team ${mention(people.bo)} role manager`);
    await guanxi.crm(people.ana.id, `team ${mention(people.chloe)} manager ${mention(people.bo)}`);
  });
  afterEach(() => guanxi.stop());

  /** Runs the digest job every quarter of an hour up to `until`; says who got a DM when. */
  async function runUntil(until: string): Promise<string[]> {
    const sent: string[] = [];
    for (let at = guanxi.clock.now().getTime(); at <= Date.parse(until); at += quarterHour) {
      guanxi.clock.set(new Date(at).toISOString());
      const before = guanxi.slack.callsTo('chat.postMessage').length;
      await guanxi.server.scheduler.run('digests');
      for (const call of guanxi.slack.callsTo('chat.postMessage').slice(before)) sent.push(`${call.args['channel']} ${new Date(at).toISOString()}`);
    }
    return sent;
  }

  it('sends each person one digest at 08:00 of their own zone on working days, across a daylight-saving change', async () => {
    expect(await runUntil('2026-03-10T16:00:00Z')).toEqual([
      // Ana joined before 08:00 in Los Angeles on Thursday; Bo and Chloé after their 08:00, so theirs start on Friday.
      `${people.ana.id} 2026-03-05T16:00:00.000Z`,
      `${people.bo.id} 2026-03-06T00:00:00.000Z`,
      `${people.chloe.id} 2026-03-06T07:00:00.000Z`,
      `${people.ana.id} 2026-03-06T16:00:00.000Z`,
      // No digest on Saturday or Sunday, in any zone.
      `${people.bo.id} 2026-03-09T00:00:00.000Z`,
      `${people.chloe.id} 2026-03-09T07:00:00.000Z`,
      // 08:00 in Los Angeles is 15:00 UTC from Monday, in daylight-saving time.
      `${people.ana.id} 2026-03-09T15:00:00.000Z`,
      `${people.bo.id} 2026-03-10T00:00:00.000Z`,
      `${people.chloe.id} 2026-03-10T07:00:00.000Z`,
      `${people.ana.id} 2026-03-10T15:00:00.000Z`,
    ]);
  });

  it('sends a digest missed while the service was down once, when it is back the same day, and keeps each person’s own time', async () => {
    expect(await guanxi.crmText(people.bo.id, 'digest time 7:30')).toBe('Your digest now comes at 07:30 on working days, Asia/Shanghai time. See it any time with /crm digest.');
    expect(await guanxi.crmText(people.chloe.id, 'digest off')).toContain('Your daily digest is off.');
    await runUntil('2026-03-06T12:00:00Z');
    await guanxi.server.stop();
    // Down over Ana's 08:00 (16:00 UTC); back at 18:30 UTC, still Friday in Los Angeles.
    guanxi.clock.set('2026-03-06T18:30:00Z');
    await guanxi.restart();
    const after = await runUntil('2026-03-06T23:45:00Z');
    expect(after).toEqual([`${people.ana.id} 2026-03-06T18:30:00.000Z`]);

    const dms = guanxi.slack.callsTo('chat.postMessage').map((call) => `${call.args['channel']}`);
    expect(dms).toEqual([people.ana.id, people.bo.id, people.ana.id]);
    expect(await guanxi.server.core.store.digests.get(people.bo.id, '2026-03-06')).toMatchObject({ sentAt: '2026-03-05T23:30:00.000Z' });
  });
});
