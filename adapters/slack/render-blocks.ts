import type { types } from '@slack/bolt';
import type { Action, Block, Reply } from '../../src/reply.ts';

type KnownBlock = types.KnownBlock;

// Block Kit limits: https://docs.slack.dev/reference/block-kit/blocks
const sectionTextMax = 3000;
const headerTextMax = 150;
const fieldsMax = 10;
const buttonsMax = 25;
/** Blocks Slack takes in a message, and in a view (a modal, the Home tab). */
export const messageBlocksMax = 50;
export const viewBlocksMax = 100;

/**
 * A core Reply as Block Kit. Action ids get a position suffix because Slack
 * wants them unique within a block. Slack refuses a message or view with more
 * blocks than `max`, so a longer one is cut short, saying so, and keeps its
 * closing buttons.
 */
export function renderBlocks(reply: Reply, max: number = messageBlocksMax): KnownBlock[] {
  const blocks = reply.blocks.flatMap(renderBlock);
  if (blocks.length <= max) return blocks;
  const closing = blocks.at(-1)!.type === 'actions' ? [blocks.at(-1)!] : [];
  const notice: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `Cut short here: Slack shows at most ${max} blocks in a ${max === viewBlocksMax ? 'view' : 'message'}.` }] };
  return [...blocks.slice(0, max - 1 - closing.length), notice, ...closing];
}

function renderBlock(block: Block): KnownBlock[] {
  switch (block.type) {
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: cut(block.text, headerTextMax), emoji: true } }];
    case 'text':
      return sections(mrkdwn(block.text));
    case 'fields':
      return [
        {
          type: 'section',
          fields: block.fields.slice(0, fieldsMax).map((f) => ({ type: 'mrkdwn' as const, text: cut(`*${escape(f.label)}*\n${mrkdwn(f.value)}`, 2000) })),
        },
      ];
    case 'list': {
      const lines = block.items.map((item) => `• ${mrkdwn(item)}`);
      return sections([...(block.title ? [`*${escape(block.title)}*`] : []), ...lines].join('\n'));
    }
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: cut(mrkdwn(block.text), sectionTextMax) }] }];
    case 'actions':
      return [
        {
          type: 'actions',
          elements: block.actions.slice(0, buttonsMax).map(button),
        },
      ];
    case 'item':
      return [{ type: 'section', text: { type: 'mrkdwn', text: cut(`• ${mrkdwn(block.text)}`, sectionTextMax) }, accessory: button(block.action, 0) }];
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function button(action: Action, position: number) {
  return {
    type: 'button' as const,
    action_id: `${action.id}:${position}`,
    text: { type: 'plain_text' as const, text: cut(action.label, 75), emoji: true },
    value: action.value,
    ...(action.style ? { style: action.style } : {}),
  };
}

/** Long text becomes several sections, split at line ends. */
function sections(text: string): KnownBlock[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current && current.length + line.length + 1 > sectionTextMax) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : cut(line, sectionTextMax);
  }
  if (current) chunks.push(current);
  return chunks.map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: chunk } }));
}

/**
 * Core text may hold *bold*, <url|label> links and <#C123> channels; everything else that Slack
 * would read as markup (&, <, >) is escaped, so a customer's words show as typed.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function mrkdwn(text: string): string {
  // Most text has no markup at all: a card renders dozens of strings per request.
  if (!text.includes('<')) return escape(text);
  const markup = /<(https?:\/\/[^|>\s]+)\|([^>]+)>|<#([CG][A-Z0-9]+)>/g;
  let out = '';
  let last = 0;
  for (const match of text.matchAll(markup)) {
    out += escape(text.slice(last, match.index)) + (match[3] ? `<#${match[3]}>` : `<${match[1]}|${escape(match[2]!)}>`);
    last = match.index + match[0].length;
  }
  return out + escape(text.slice(last));
}

function escape(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A Reply as the text and blocks of a Slack message. The text is what mobile
 * notifications and screen readers read instead of the blocks, and Slack reads
 * it as mrkdwn too: a customer's `<!channel>` in it would notify a channel.
 */
export function slackMessage(reply: Reply): { text: string; blocks: KnownBlock[] } {
  return { text: mrkdwn(reply.text), blocks: renderBlocks(reply) };
}
