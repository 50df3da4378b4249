/**
 * What the core answers: adapter-neutral. `text` is always present and reads
 * well alone (the terminal prints it; Slack uses it for notifications); blocks
 * carry the same content with structure, and the Slack adapter renders them as
 * Block Kit. Inline text may use *bold* and <url|label> links, nothing else.
 */
export interface Reply {
  text: string;
  blocks: Block[];
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'list'; title: string | null; items: string[] }
  | { type: 'context'; text: string }
  | { type: 'actions'; actions: Action[] }
  /** One line of a list with its own button beside it, such as a digest item that opens its card. */
  | { type: 'item'; text: string; action: Action }
  | { type: 'divider' };

export interface Field {
  label: string;
  value: string;
}

/** A button. `id` names what it does (an adapter-neutral action id); `value` is what it acts on. */
export interface Action {
  id: ActionId;
  label: string;
  value: string;
  style: 'primary' | 'danger' | null;
}

export type ActionId =
  | 'log_interaction'
  | 'set_reminder'
  | 'share_reply'
  | 'reminder_done'
  | 'reminder_snooze'
  | 'open_customer'
  | 'view_customer'
  | 'suggestion_accept'
  | 'suggestion_dismiss'
  | 'poll_answer'
  /** Offered when a case is closed; `value` is the case id. */
  | 'poll_after_case';

/** A reply of plain sentences and nothing else. */
export function textReply(text: string): Reply {
  return { text, blocks: [{ type: 'text', text }] };
}

/** A reply whose text is its blocks read aloud: what notifications and the terminal show. */
export function replyOf(blocks: Block[]): Reply {
  return { text: blocksToText(blocks), blocks };
}

export function blocksToText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'heading' || block.type === 'text' || block.type === 'context') lines.push(block.text);
    if (block.type === 'item') lines.push(`  • ${block.text}`);
    if (block.type === 'fields') lines.push(...block.fields.map((f) => `${f.label}: ${f.value}`));
    if (block.type === 'list') {
      if (block.title) lines.push(`${block.title}:`);
      lines.push(...block.items.map((item) => `  • ${item}`));
    }
  }
  return lines.join('\n');
}
