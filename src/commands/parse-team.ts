import type { Member } from '../domain/member.ts';
import type { Command } from './command.ts';
import { usageError } from './grammar.ts';
import { keyword, type Token } from './tokenize.ts';

const roles: readonly Member['role'][] = ['rep', 'manager', 'admin'];

/** `team`, `team <@user> role <rep|manager|admin>`, `team <@user> manager <@boss|none>`. */
export function parseTeam(rest: readonly Token[]): Command {
  if (rest.length === 0) return { name: 'team' };
  const [who, what, ...values] = rest;
  const field = keyword(what);
  const name = field === 'manager' ? 'team_manager' : 'team_role';
  if (!who?.userId) throw usageError(name, 'Start with the teammate, mentioned with @ so Slack knows who it is.');
  if (field === 'role') {
    const role = roles.find((r) => r === keyword(values[0]));
    if (values.length !== 1 || !role) {
      const typed = values.map((v) => v.text).join(' ');
      throw usageError('team_role', `Say one role: rep, manager or admin${typed ? `; "${typed}" is not one` : ''}.`);
    }
    return { name: 'team_role', memberId: who.userId, role };
  }
  if (field === 'manager') {
    const [boss] = values;
    if (values.length === 1 && keyword(boss) === 'none') return { name: 'team_manager', memberId: who.userId, managerId: null };
    if (values.length !== 1 || !boss?.userId) throw usageError('team_manager', 'Mention the manager with @, or say none to take the manager away.');
    return { name: 'team_manager', memberId: who.userId, managerId: boss.userId };
  }
  throw usageError('team_role', `After the teammate, say what to change: role <rep|manager|admin>, or manager <@boss|none>.`);
}
