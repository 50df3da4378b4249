import type { Member } from '../../domain/member.ts';
import { ConflictError, NotFoundError, UserInputError } from '../../errors.ts';
import { replyOf, textReply, type Reply } from '../../reply.ts';
import { ensureMember } from '../../team/ensure-member.ts';
import { managerLoop } from '../../team/manager-loop.ts';
import { requireAdmin } from '../../team/require-admin.ts';
import type { CommandContext } from '../context.ts';

const roleOrder: Record<Member['role'], number> = { admin: 0, manager: 1, rep: 2 };
const withArticle: Record<Member['role'], string> = { admin: 'an admin', manager: 'a manager', rep: 'a rep' };
const roleMeaning: Record<Member['role'], string> = {
  admin: 'Admins change the team, block and unblock addresses, merge duplicates and forget people.',
  manager: "Managers hear of their team's overdue cases.",
  rep: 'Reps work their customers; the team and the block list are left to admins.',
};

/** `/crm team`: everyone who uses guanxi, admins first, with whom they report to. */
export async function listTeam(ctx: CommandContext): Promise<Reply> {
  const members = await ctx.store.members.list();
  const names = new Map(members.map((m) => [m.id, m.name]));
  const sorted = [...members].sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || a.name.localeCompare(b.name));
  const items = sorted.map((m) => `${m.name}: ${m.role}${m.managerId ? `, reports to ${names.get(m.managerId) ?? m.managerId}` : ''}`);
  return replyOf([
    { type: 'list', title: `The team (${members.length})`, items },
    { type: 'context', text: 'An admin changes a role with /crm team @user role <rep|manager|admin>, and a manager with /crm team @user manager <@boss|none>.' },
  ]);
}

/** `/crm team @user role <role>`: admins only; the last admin stays one, so that someone can still change the team. */
export async function setRole(ctx: CommandContext, memberId: string, role: Member['role']): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'change the team');
  const member = await teammate(ctx, memberId);
  if (member.role === role) return textReply(`${member.name} is already ${withArticle[role]}.`);
  if (member.role === 'admin') {
    const admins = (await ctx.store.members.list()).filter((m) => m.role === 'admin');
    if (admins.length <= 1) {
      throw new ConflictError(`${member.name} is the only admin, and the team needs one to manage it. Make someone else an admin first: /crm team @user role admin.`);
    }
  }
  await ctx.store.members.put({ ...member, role });
  return textReply(`${member.name} is now ${withArticle[role]} (was ${withArticle[member.role]}). ${roleMeaning[role]}`);
}

/** `/crm team @user manager <@boss|none>`: admins only; nobody manages themselves, directly or round a loop. */
export async function setManager(ctx: CommandContext, memberId: string, managerId: string | null): Promise<Reply> {
  await requireAdmin(ctx.store, ctx.actor, 'change the team');
  if (managerId === memberId) throw new UserInputError('Nobody can be their own manager. Mention someone else, or say none: /crm team @user manager none.');
  const member = await teammate(ctx, memberId);
  const members = new Map((await ctx.store.members.list()).map((m) => [m.id, m]));
  const previous = member.managerId ? (members.get(member.managerId)?.name ?? member.managerId) : null;
  if (managerId === null) {
    if (previous === null) return textReply(`${member.name} has no manager.`);
    await ctx.store.members.put({ ...member, managerId: null });
    return textReply(`${member.name} no longer reports to ${previous}, and has no manager now.`);
  }
  const boss = await teammate(ctx, managerId);
  if (member.managerId === boss.id) return textReply(`${member.name} already reports to ${boss.name}.`);
  members.set(boss.id, boss);
  const loop = managerLoop(members, member.id, boss.id);
  if (loop) {
    const chain = [member, ...loop].map((m) => m.name).join(' → ');
    throw new ConflictError(`That would make a loop of managers (each reporting to the next): ${chain}. Give ${boss.name} another manager first, or none.`);
  }
  await ctx.store.members.put({ ...member, managerId: boss.id });
  return textReply(`${member.name} now reports to ${boss.name}${previous ? ` (was ${previous})` : ''}. Overdue cases on ${member.name}'s customers go to ${boss.name}.`);
}

/** A mentioned teammate: known to guanxi, or taken from the Slack directory now. */
async function teammate(ctx: CommandContext, memberId: string): Promise<Member> {
  const known = await ctx.store.members.get(memberId);
  if (known) return known;
  if (!(await ctx.directory.lookup(memberId))) {
    throw new NotFoundError('Slack does not know that person. Mention a member of this workspace with @, e.g. /crm team @jane role manager.');
  }
  return ensureMember(ctx, memberId);
}
