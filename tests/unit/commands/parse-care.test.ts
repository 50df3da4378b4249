import { describe, expect, it } from 'vitest';
import { grammar } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);
const hours = (text: string) => {
  const command = parse(`prefer jane@acme.com ${text}`);
  return command.name === 'prefer' ? command.hours : null;
};
const birthday = (text: string) => {
  const command = parse(`birthday jane@acme.com ${text}`);
  return command.name === 'birthday' ? command.birthday : undefined;
};

describe('optout, optin and forget', () => {
  it('take one address, lower-cased, also as Slack sends a mailto link', () => {
    expect(parse('optout Jane@Acme.com')).toEqual({ name: 'optout', email: 'jane@acme.com' });
    expect(parse('optin <mailto:jane@acme.com|jane@acme.com>')).toEqual({ name: 'optin', email: 'jane@acme.com' });
    expect(parse('forget jane@acme.com')).toEqual({ name: 'forget', email: 'jane@acme.com' });
  });

  it('refuse what is not one address', () => {
    expect(rejection('optout jane').message).toContain('"jane" is not one');
    expect(rejection('forget').usage).toBe(grammar.forget.usage);
    expect(rejection('optin jane@acme.com now').message).toBe('Give only the address, e.g. /crm optin jane@acme.com.');
  });
});

describe('prefer', () => {
  it('reads hours written in the usual ways', () => {
    expect(hours('9-12')).toEqual({ from: '09:00', to: '12:00', tz: 'America/Los_Angeles' });
    expect(hours('09:00-12:30')).toMatchObject({ from: '09:00', to: '12:30' });
    expect(hours('2pm-5pm')).toMatchObject({ from: '14:00', to: '17:00' });
    expect(hours('2-5pm')).toMatchObject({ from: '14:00', to: '17:00' });
    expect(hours('11-2pm')).toMatchObject({ from: '11:00', to: '14:00' });
    expect(hours('9am to 12:30pm')).toMatchObject({ from: '09:00', to: '12:30' });
    expect(hours('12am-6am')).toMatchObject({ from: '00:00', to: '06:00' });
  });

  it('takes the zone given, in its own spelling, and the rep\'s own zone otherwise', () => {
    expect(hours('9-12 Europe/Paris')).toEqual({ from: '09:00', to: '12:00', tz: 'Europe/Paris' });
    expect(hours('9 - 12 asia/shanghai')).toEqual({ from: '09:00', to: '12:00', tz: 'Asia/Shanghai' });
    expect(hours('9-12 UTC')?.tz).toBe('UTC');
  });

  it('clears the hours with none', () => {
    expect(parse('prefer jane@acme.com none')).toEqual({ name: 'prefer', email: 'jane@acme.com', hours: null });
  });

  it('refuses hours that are not a range of one day, with the right form', () => {
    for (const text of ['9', '9-12-3', '25-26', '9:75-10', '13pm-2pm', 'noon-5']) {
      const error = rejection(`prefer jane@acme.com ${text}`);
      expect(error.message, text).toContain('<from>-<to>, such as 9-12, 09:00-12:30 or 2pm-5pm');
      expect(error.usage).toBe(grammar.prefer.usage);
    }
    expect(rejection('prefer jane@acme.com 17-9').message).toContain('must start before they end, within one day');
  });

  it('refuses a zone that is none', () => {
    expect(rejection('prefer jane@acme.com 9-12 Europe/Pariss').message).toBe('"Europe/Pariss" is not a time zone. Give an IANA name such as Europe/Paris, America/New_York or Asia/Shanghai.');
  });

  it('asks for the hours', () => {
    expect(rejection('prefer jane@acme.com').message).toContain('Say the hours after the address');
  });
});

describe('birthday', () => {
  it('reads a day and a month, with or without the year', () => {
    expect(birthday('03-21')).toBe('03-21');
    expect(birthday('3-7')).toBe('03-07');
    expect(birthday('1984-03-21')).toBe('1984-03-21');
    expect(birthday('21 mar')).toBe('03-21');
    expect(birthday('Mar 21')).toBe('03-21');
    expect(birthday('21 March 1984')).toBe('1984-03-21');
    expect(birthday('september 9, 1990')).toBe('1990-09-09');
    expect(birthday('02-29')).toBe('02-29');
    expect(birthday('none')).toBeNull();
  });

  it('refuses days that are not on the calendar, and years that cannot be', () => {
    expect(rejection('birthday jane@acme.com 02-30').message).toBe('"02-30" is not a day of the calendar. Write it as 03-21, 1984-03-21, 21 mar or mar 21.');
    expect(rejection('birthday jane@acme.com 1985-02-29').message).toContain('is not a day of the calendar');
    expect(rejection('birthday jane@acme.com 31 apr').message).toContain('is not a day of the calendar');
    expect(rejection('birthday jane@acme.com 2031-01-01').message).toContain('2031 cannot be a birth year');
  });

  it('refuses what is not a date, with the right form', () => {
    for (const text of ['03/21', 'tomorrow', 'ma 21', '21 mar 84']) {
      const error = rejection(`birthday jane@acme.com ${text}`);
      expect(error.message, text).toContain('is not a date. Write it as 03-21, 1984-03-21, 21 mar or mar 21.');
      expect(error.usage).toBe(grammar.birthday.usage);
    }
  });
});
