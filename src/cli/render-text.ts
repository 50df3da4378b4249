import type { Reply } from '../reply.ts';

/** A Reply for a terminal: *bold* marks dropped, <url|label> links spelled out. */
export function renderText(reply: Reply): string {
  return reply.text.replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, '$2 ($1)').replace(/\*([^*\n]+)\*/g, '$1');
}
