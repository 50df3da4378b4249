import type { Command } from './command.ts';
import { usageError } from './grammar.ts';
import { readTimeOfDay } from './parse-care.ts';
import { joined, keyword } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** `digest`, `digest time <time>`, `digest off`, `digest on`. */
export function parseDigest(rest: readonly Token[]): Command {
  const [first, ...after] = rest;
  if (!first) return { name: 'digest' };
  switch (keyword(first)) {
    case 'time': {
      const time = readTimeOfDay(joined(after).replace(/\s+/g, ''));
      if (!time) throw usageError('digest_time', `Say when, as a time of day such as 07:30, 7:30 or 7am${after.length > 0 ? `; "${joined(after)}" is not one` : ''}.`);
      return { name: 'digest_time', time };
    }
    case 'off':
    case 'on':
      if (after.length > 0) throw usageError('digest_switch', `/crm digest ${keyword(first)} takes nothing after it.`);
      return { name: 'digest_switch', on: keyword(first) === 'on' };
    default:
      throw usageError('digest', `I don't know "digest ${joined(rest)}". Type /crm digest to see yours now, or /crm digest time 07:30, /crm digest off, /crm digest on.`);
  }
}
