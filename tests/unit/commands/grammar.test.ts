import { describe, expect, it } from 'vitest';
import type { CommandName } from '../../../src/commands/command.ts';
import { commandWords, grammar, renderHelp, renderTopic, timeExamples } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx } from './rejection.ts';

const names = Object.keys(grammar) as CommandName[];

describe('the grammar', () => {
  it('has an example for every command that parses to that command', () => {
    for (const name of names) {
      // In Slack "@jane" and "#acme-shared" arrive as mentions; the example shows what the rep types.
      const text = grammar[name].example.replace(/^\/crm /, '').replace('@jane', '<@U1|jane>').replace('@boss', '<@U2|boss>').replace('#acme-shared', '<#C1|acme-shared>');
      expect(parseCommand(text, ctx).name, grammar[name].example).toBe(name);
    }
  });

  it('names the first word of every command', () => {
    expect(commandWords).toEqual(['find', 'add', 'log', 'remind', 'case', 'assign', 'connect', 'mail', 'poll', 'link', 'unlink', 'suggestions', 'block', 'unblock', 'optout', 'optin', 'prefer', 'birthday', 'team', 'forget', 'deal', 'digest', 'jobs', 'duplicates', 'merge', 'help']);
  });
});

describe('help text', () => {
  it('lists every command with its usage and what it does', () => {
    const help = renderHelp();
    for (const name of names) {
      expect(help).toContain(grammar[name].usage);
      expect(help).toContain(grammar[name].description);
    }
    expect(help).toContain('/crm help remind');
  });

  it('shows one command with its example', () => {
    const log = renderTopic('log');
    expect(log).toContain('/crm log <customer> <call|meeting|note> <text>');
    expect(log).toContain('Example: /crm log acme call "Talked pricing, sending a quote Friday"');
  });

  it('shows every form of a command, and how to write a time', () => {
    const remind = renderTopic('Remind') ?? '';
    for (const name of ['remind', 'remind_list', 'remind_snooze', 'remind_done'] as const) expect(remind).toContain(grammar[name].usage);
    expect(remind).toContain(timeExamples);
    expect(renderTopic('add contact')).not.toContain('add customer');
  });

  it('has nothing for an unknown topic', () => {
    expect(renderTopic('fnd')).toBeNull();
    expect(renderTopic('')).toBeNull();
  });
});
