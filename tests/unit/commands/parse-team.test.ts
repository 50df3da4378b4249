import { describe, expect, it } from 'vitest';
import { grammar } from '../../../src/commands/grammar.ts';
import { parseCommand } from '../../../src/commands/parse.ts';
import { ctx, rejection } from './rejection.ts';

const parse = (text: string) => parseCommand(text, ctx);

describe('team', () => {
  it('lists the team with nothing after it', () => {
    expect(parse('team')).toEqual({ name: 'team' });
  });

  it('reads a role for a mentioned teammate, in any case', () => {
    expect(parse('team <@U1|jane> role Manager')).toEqual({ name: 'team_role', memberId: 'U1', role: 'manager' });
    expect(parse('team <@U1|jane> role admin')).toEqual({ name: 'team_role', memberId: 'U1', role: 'admin' });
  });

  it('reads a manager, or none to take the manager away', () => {
    expect(parse('team <@U1|jane> manager <@U2|bo>')).toEqual({ name: 'team_manager', memberId: 'U1', managerId: 'U2' });
    expect(parse('team <@U1|jane> manager none')).toEqual({ name: 'team_manager', memberId: 'U1', managerId: null });
  });

  it('refuses a role that is none, naming the three', () => {
    const error = rejection('team <@U1|jane> role boss');
    expect(error.message).toBe('Say one role: rep, manager or admin; "boss" is not one.');
    expect(error.usage).toBe(grammar.team_role.usage);
  });

  it('asks for a mention where a teammate or a manager is expected', () => {
    expect(rejection('team jane role rep').message).toContain('mentioned with @');
    const manager = rejection('team <@U1|jane> manager bo');
    expect(manager.message).toContain('Mention the manager with @, or say none');
    expect(manager.usage).toBe(grammar.team_manager.usage);
  });

  it('asks what to change when it is neither a role nor a manager', () => {
    expect(rejection('team <@U1|jane> title vp').message).toContain('role <rep|manager|admin>, or manager <@boss|none>');
  });
});
