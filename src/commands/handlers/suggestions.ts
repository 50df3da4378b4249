import type { Suggestion } from '../../domain/suggestion.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { replyOf, textReply, type Block, type Reply } from '../../reply.ts';
import { relative } from '../render/format.ts';
import type { CommandContext } from '../context.ts';
import { addCustomer } from './add.ts';

const shown = 10;

/** `/crm suggestions`: work domains seen in mail that no customer owns, busiest first. */
export async function listSuggestions(ctx: CommandContext): Promise<Reply> {
  const pending = await ctx.store.suggestions.pending(100);
  if (pending.length === 0) return textReply('No suggestions: every work domain in your logged mail belongs to a customer, or was dismissed.');
  const now = ctx.clock.now();
  const blocks: Block[] = [{ type: 'heading', text: `Suggested customers (${pending.length})` }];
  for (const suggestion of pending.slice(0, shown)) {
    const people = suggestion.people.map((p) => (p.name ? `${p.name} <${p.email}>` : p.email)).join(', ');
    blocks.push({ type: 'text', text: `*${suggestion.domain}*: ${suggestion.messageCount} message${suggestion.messageCount === 1 ? '' : 's'}, last ${relative(new Date(suggestion.lastSeenAt), now)}. ${people}` });
    blocks.push({
      type: 'actions',
      actions: [
        { id: 'suggestion_accept', label: 'Make it a customer', value: suggestion.domain, style: 'primary' },
        { id: 'suggestion_dismiss', label: 'Dismiss', value: suggestion.domain, style: null },
      ],
    });
  }
  blocks.push({ type: 'context', text: 'Seen in mail with people at domains no customer owns. Accept with a name: /crm suggestions accept <domain> [name].' });
  return replyOf(blocks);
}

/** Makes a suggested domain a customer; mail with it is logged to the customer from then on. */
export async function acceptSuggestion(ctx: CommandContext, domain: string, customerName: string | null): Promise<Reply> {
  pending(domain, await ctx.store.suggestions.byDomain(domain));
  const name = customerName ?? nameFromDomain(domain);
  const reply = await addCustomer(ctx, name, [domain]);
  await decide(ctx, domain, 'accepted');
  return reply;
}

export async function dismissSuggestion(ctx: CommandContext, domain: string): Promise<Reply> {
  pending(domain, await decide(ctx, domain, 'dismissed'));
  return textReply(`Dismissed ${domain}: it is not suggested again. If it becomes a customer, add it with /crm add customer <name> ${domain}.`);
}

/**
 * Marks the domain's suggestion decided if it is still pending (mail counted
 * in meanwhile stays counted), and gives it back as it was before.
 */
async function decide(ctx: CommandContext, domain: string, status: 'accepted' | 'dismissed'): Promise<Suggestion | null> {
  let before: Suggestion | null = null;
  await ctx.store.suggestions.change(domain, (known) => {
    before = known;
    return known?.status === 'pending' ? { ...known, status, decidedAt: ctx.clock.now().toISOString(), decidedBy: ctx.actor.id } : null;
  });
  return before;
}

/** A clear error unless `suggestion` is there and pending. */
function pending(domain: string, suggestion: Suggestion | null): void {
  if (!suggestion) throw new NotFoundError(`${domain} is not among the suggestions. See them with /crm suggestions.`);
  if (suggestion.status !== 'pending') throw new ConflictError(`${domain} was already ${suggestion.status}.`);
}

/** `globex-corp.co.uk` → `Globex Corp`: a starting name the rep can change. */
function nameFromDomain(domain: string): string {
  const label = domain.split('.')[0]!;
  return label.split(/[-_]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}
