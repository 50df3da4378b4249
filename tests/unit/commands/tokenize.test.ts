import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/commands/tokenize.ts';
import { UserInputError } from '../../../src/errors.ts';

const texts = (input: string) => tokenize(input).map((token) => token.text);

describe('tokenize', () => {
  it('splits on any run of whitespace', () => {
    expect(texts('  log   acme\tcall\u00a0hi ')).toEqual(['log', 'acme', 'call', 'hi']);
    expect(texts('')).toEqual([]);
  });

  it('groups quoted words, with straight or curly quotes, and marks them quoted', () => {
    expect(tokenize('log acme call "Talked pricing, sending a quote"')).toEqual([
      { text: 'log', quoted: false },
      { text: 'acme', quoted: false },
      { text: 'call', quoted: false },
      { text: 'Talked pricing, sending a quote', quoted: true },
    ]);
    expect(texts('add customer “Acme Corp” acme.com')).toEqual(['add', 'customer', 'Acme Corp', 'acme.com']);
    expect(texts("note \"it's fine\"")).toEqual(['note', "it's fine"]);
  });

  it('keeps an empty quoted word, so a command can say the text is missing', () => {
    expect(tokenize('log acme call ""')[3]).toEqual({ text: '', quoted: true });
  });

  it('turns a Slack user mention into @name and keeps the user id', () => {
    expect(tokenize('assign acme <@U123ABC|jane>')[2]).toEqual({ text: '@jane', quoted: false, userId: 'U123ABC' });
    expect(tokenize('assign acme <@U123ABC>')[2]).toEqual({ text: '@U123ABC', quoted: false, userId: 'U123ABC' });
  });

  it('turns a channel mention into #name and keeps the channel id', () => {
    expect(tokenize('<#C024BE7LR|general>')[0]).toEqual({ text: '#general', quoted: false, channelId: 'C024BE7LR' });
  });

  it('unwraps the links Slack makes of addresses and domains', () => {
    expect(texts('add contact <mailto:jane@acme.com|jane@acme.com> Jane')).toEqual(['add', 'contact', 'jane@acme.com', 'Jane']);
    expect(texts('add customer Acme <http://acme.com|acme.com>')).toEqual(['add', 'customer', 'Acme', 'acme.com']);
    expect(texts('find <https://acme.com/pricing?a=1&amp;b=2>')).toEqual(['find', 'https://acme.com/pricing?a=1&b=2']);
  });

  it('decodes the characters Slack escapes', () => {
    expect(texts('find Smith &amp; Sons')).toEqual(['find', 'Smith', '&', 'Sons']);
    expect(texts('note "a &lt;b&gt; c"')).toEqual(['note', 'a <b> c']);
  });

  it('unwraps markup inside quotes too', () => {
    expect(texts('log acme note "ask <@U1|jane> about <http://acme.com|acme.com>"')[3]).toBe('ask @jane about acme.com');
  });

  it('says so when a quote is never closed', () => {
    expect(() => tokenize('log acme call "Talked pricing')).toThrow(UserInputError);
    expect(() => tokenize('log acme call “Talked pricing')).toThrow(/quote/);
  });
});
