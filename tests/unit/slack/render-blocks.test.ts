import { describe, expect, it } from 'vitest';
import { messageBlocksMax, renderBlocks, viewBlocksMax } from '../../../adapters/slack/render-blocks.ts';
import { replyOf, type Block } from '../../../src/reply.ts';

const lines = (count: number): Block[] => Array.from({ length: count }, (_, n) => ({ type: 'text', text: `line ${n}` }));
const closing: Block = { type: 'actions', actions: [{ id: 'log_interaction', label: 'Log a call', value: 'cus_1', style: 'primary' }] };

describe('renderBlocks', () => {
  it('cuts a reply longer than Slack takes, says so, and keeps its closing buttons', () => {
    const blocks = renderBlocks(replyOf([...lines(70), closing]));

    expect(blocks).toHaveLength(messageBlocksMax);
    expect(blocks.at(-2)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Cut short here: Slack shows at most 50 blocks in a message.' }] });
    expect(blocks.at(-1)).toMatchObject({ type: 'actions' });
    expect(blocks.at(-3)).toMatchObject({ type: 'section', text: { text: 'line 47' } });
  });

  it('leaves a reply that fits as it is; a view takes 100', () => {
    expect(renderBlocks(replyOf([...lines(49), closing]))).toHaveLength(50);
    expect(renderBlocks(replyOf(lines(120)), viewBlocksMax)).toHaveLength(viewBlocksMax);
    expect(renderBlocks(replyOf(lines(120)), viewBlocksMax).at(-1)).toMatchObject({ type: 'context', elements: [{ text: 'Cut short here: Slack shows at most 100 blocks in a view.' }] });
  });
});
