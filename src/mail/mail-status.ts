import type { Mailbox } from '../domain/mailbox.ts';
import { relative } from '../commands/render/format.ts';
import { replyOf, textReply, type Block, type Reply } from '../reply.ts';
import { providerName } from './mail-deps.ts';

const statusText: Record<Mailbox['status'], string> = {
  active: 'connected',
  needs_reconnect: 'needs you to sign in again (/crm connect)',
  disconnected: 'disconnected',
};

/** `/crm mail`: each of the rep's mailboxes, how it is doing, and the last error in words. */
export function mailStatus(mailboxes: Mailbox[], now: Date): Reply {
  if (mailboxes.length === 0) return textReply('You have no mailbox connected. Connect one with /crm connect gmail, and your customer mail is logged by itself.');
  const blocks: Block[] = [{ type: 'heading', text: 'Your mailboxes' }];
  for (const mailbox of mailboxes) {
    const lines = [
      `Status: ${statusText[mailbox.status]}`,
      `Last sync: ${mailbox.lastSyncAt ? relative(new Date(mailbox.lastSyncAt), now) : 'not yet'}`,
      `Messages logged: ${mailbox.loggedCount.toLocaleString('en-US')}`,
    ];
    if (mailbox.backfill?.status === 'running') lines.push(`Reading past mail: ${mailbox.backfill.scanned.toLocaleString('en-US')} messages so far`);
    if (mailbox.lastError) lines.push(`Last error (${relative(new Date(mailbox.lastErrorAt!), now)}): ${mailbox.lastError}`);
    blocks.push({ type: 'list', title: `${providerName[mailbox.provider]} ${mailbox.address}`, items: lines });
  }
  return replyOf(blocks);
}
