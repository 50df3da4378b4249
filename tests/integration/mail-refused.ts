import { expect } from 'vitest';
import type { Guanxi } from '../support/guanxi.ts';

/**
 * What the team sees once a provider refuses guanxi's own configuration, with
 * `admin` both an admin and the mailbox's owner: one DM to them saying why,
 * the reason in /crm mail, the mailbox still connected, and no rep asked to
 * sign in again, which could not help.
 */
export async function expectAdminToldOnce(guanxi: Guanxi, admin: string, provider: 'Gmail' | 'Outlook', reason: string): Promise<void> {
  const told = guanxi.slack.postsTo(admin).filter((call) => String(call.args['text']).startsWith(`guanxi cannot read ${provider} mailboxes`));
  expect(told).toHaveLength(1);
  expect(told[0]!.args['text']).toContain(`guanxi cannot read ${provider} mailboxes, so no mail is being logged from them: ${reason}`);
  expect(await guanxi.crmText(admin, 'mail')).toContain(reason);
  expect((await guanxi.server.core.store.mailboxes.byMember(admin))[0]!.status).toBe('active');
  expect(guanxi.slack.callsTo('chat.postMessage').some((call) => String(call.args['text']).includes('sign in again'))).toBe(false);
}
