import type { Reply } from '../reply.ts';

/** A Reply for a terminal: *bold* marks dropped, <url|label> links spelled out, <#C123> as #C123. */
export function renderText(reply: Reply): string {
  return reply.text
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<#([CG][A-Z0-9]+)>/g, '#$1')
    .replace(/\*([^*\n]+)\*/g, '$1');
}
