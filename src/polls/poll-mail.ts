import type { Poll } from '../domain/poll.ts';
import type { OutgoingMail } from '../mail/mail-port.ts';
import { pollScales, scoresOf } from './poll-scales.ts';

export interface PollMailFacts {
  poll: Poll;
  recipientName: string | null;
  /** Who asks: the rep, by name. */
  senderName: string;
  /** One answer link per score. */
  link: (score: number) => string;
  expiresAt: Date;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The poll as a short personal mail: the question, one link per score, and how long the links work. */
export function pollMail(facts: PollMailFacts): OutgoingMail {
  const { poll, recipientName, senderName } = facts;
  const scale = pollScales[poll.kind];
  const question = scale.question;
  const scores = scoresOf(poll.kind);
  const greeting = recipientName ? `Hello ${recipientName.split(' ')[0]},` : 'Hello,';
  const intro = `${question} One click on a score is enough; you can add a comment after, if you like.`;
  const closing = `The links work until ${facts.expiresAt.toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '')}. Thank you!`;
  const text = [
    greeting,
    '',
    intro,
    `(${scale.min} = ${scale.low}, ${scale.max} = ${scale.high})`,
    '',
    ...scores.map((score) => `${score}: ${facts.link(score)}`),
    '',
    closing,
    senderName,
  ].join('\n');
  const buttons = scores
    .map((score) => `<a href="${escape(facts.link(score))}" style="display:inline-block;min-width:2em;margin:0 4px 4px 0;padding:8px 10px;border:1px solid #7a2e2e;border-radius:4px;color:#7a2e2e;text-align:center;text-decoration:none;font-weight:bold" aria-label="${score} out of ${scale.max}">${score}</a>`)
    .join('');
  const html = `<!doctype html><html lang="en"><body style="font:15px/1.5 system-ui,sans-serif;color:#222">
<p>${escape(greeting)}</p>
<p>${escape(intro)}</p>
<p>${buttons}</p>
<p style="color:#555;font-size:13px">${scale.min} = ${escape(scale.low)}, ${scale.max} = ${escape(scale.high)}</p>
<p>${escape(closing)}<br>${escape(senderName)}</p>
</body></html>`;
  return { to: { address: poll.email!, name: recipientName }, subject: `A quick question from ${senderName}: ${question}`, text, html };
}
