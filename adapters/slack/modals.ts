import type { types } from '@slack/bolt';
import { loggableKinds } from '../../src/domain/interaction.ts';

type ModalView = types.ModalView;

/** Modal callback ids, block ids and action ids: the names the view listeners read back. */
export const modalIds = {
  logInteraction: 'log_interaction_modal',
  setReminder: 'set_reminder_modal',
  logMessage: 'log_message_modal',
  kind: 'kind',
  summary: 'summary',
  when: 'when',
  text: 'text',
  customer: 'customer',
} as const;

/** What a modal remembers between opening and submission (Slack returns private_metadata as given). */
export interface ModalMetadata {
  customerId?: string;
  /** The card's response_url, to refresh it after the submission. */
  responseUrl?: string;
  channelId?: string;
  messageTs?: string;
}

const input = (blockId: string, label: string, element: types.InputBlockElement, hint?: string): types.InputBlock => ({
  type: 'input',
  block_id: blockId,
  label: { type: 'plain_text', text: label },
  element,
  ...(hint ? { hint: { type: 'plain_text' as const, text: hint } } : {}),
});

const text = (actionId: string, options: { multiline?: boolean; initial?: string; placeholder?: string } = {}): types.PlainTextInput => ({
  type: 'plain_text_input',
  action_id: actionId,
  multiline: options.multiline ?? false,
  ...(options.initial ? { initial_value: options.initial.slice(0, 3000) } : {}),
  ...(options.placeholder ? { placeholder: { type: 'plain_text' as const, text: options.placeholder } } : {}),
});

const modal = (callbackId: string, title: string, submit: string, metadata: ModalMetadata, blocks: types.KnownBlock[]): ModalView => ({
  type: 'modal',
  callback_id: callbackId,
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: submit },
  close: { type: 'plain_text', text: 'Cancel' },
  private_metadata: JSON.stringify(metadata),
  blocks,
});

export function logInteractionModal(customerName: string, metadata: ModalMetadata): ModalView {
  const options = loggableKinds.map((kind) => ({ text: { type: 'plain_text' as const, text: kind[0]!.toUpperCase() + kind.slice(1) }, value: kind }));
  return modal(modalIds.logInteraction, 'Log to CRM', 'Log', metadata, [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `On *${customerName}*'s timeline` }] },
    input(modalIds.kind, 'What was it?', { type: 'static_select', action_id: modalIds.kind, options, initial_option: options[0]! }),
    input(modalIds.summary, 'What was said or promised?', text(modalIds.summary, { multiline: true })),
  ]);
}

export function setReminderModal(customerName: string, metadata: ModalMetadata): ModalView {
  return modal(modalIds.setReminder, 'Set a reminder', 'Set', metadata, [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `About *${customerName}*` }] },
    input(modalIds.when, 'When?', text(modalIds.when, { placeholder: 'fri 9am' }), 'For example: tomorrow 9am, fri, in 3 days, 2026-12-01 14:00 (your time zone)'),
    input(modalIds.text, 'Remind me to…', text(modalIds.text, { placeholder: 'send the quote' })),
  ]);
}

export function logMessageModal(messageText: string, metadata: ModalMetadata): ModalView {
  return modal(modalIds.logMessage, 'Log to CRM', 'Log', metadata, [
    input(modalIds.customer, 'Customer', text(modalIds.customer, { placeholder: 'Acme, or acme.com' }), 'A name, a domain, or a contact\'s address'),
    input(modalIds.summary, 'Note', text(modalIds.summary, { multiline: true, initial: messageText })),
  ]);
}

export function readMetadata(view: { private_metadata?: string }): ModalMetadata {
  try {
    return JSON.parse(view.private_metadata || '{}') as ModalMetadata;
  } catch {
    return {};
  }
}
