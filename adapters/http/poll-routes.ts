import express, { type Express, type Response } from 'express';
import type { Core } from '../../src/app.ts';
import type { Poll } from '../../src/domain/poll.ts';
import type { LinkClaims } from '../../src/polls/poll-links.ts';
import { inRange, pollScales } from '../../src/polls/poll-scales.ts';
import { commentMax } from '../../src/polls/record-answer.ts';
import { formatInZone } from '../../src/time/zoned.ts';
import { page } from './page.ts';
import { confirmPage, questionPage, thanksPage } from './poll-page.ts';

/**
 * A customer answering a mailed poll:
 * - `GET /p/:token[?score=N]` shows the question, or the score picked in the mail, which the page posts at once;
 * - `POST /p/:token` (score) records or changes the answer, then shows the thanks;
 * - `GET /p/:token/thanks` thanks, with the comment form;
 * - `POST /p/:token/comment` records the comment.
 * A forged link is 404, an expired one 410, a score off the scale 400, and none of them changes anything.
 */
export function registerPollRoutes(http: Express, core: Core): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  http.get('/p/:token', async (req, res) => {
    const found = await pollOf(core, req.params.token, res);
    if (!found) return;
    const score = req.query['score'];
    if (score === undefined) return void res.send(questionPage(req.params.token, found.poll, null));
    const value = scoreOf(score);
    if (value === null || !inRange(found.poll.kind, value)) return offScale(res, req.params.token, found.poll, score);
    res.send(confirmPage(req.params.token, found.poll, value));
  });

  http.post('/p/:token', form, async (req, res) => {
    const found = await pollOf(core, req.params.token, res);
    if (!found) return;
    const typed = (req.body as Record<string, unknown> | undefined)?.['score'];
    const value = scoreOf(typed);
    if (value === null || !inRange(found.poll.kind, value)) return offScale(res, req.params.token, found.poll, typed);
    const outcome = await core.polls!.score(found.claims.pollId, found.claims.respondent, value);
    if (!outcome.ok) return void (outcome.why === 'closed' ? refused(res, outcome.closedAt) : outcome.why === 'out_of_range' ? offScale(res, req.params.token, found.poll, typed) : notFound(res));
    res.redirect(303, `/p/${req.params.token}/thanks`);
  });

  http.get('/p/:token/thanks', async (req, res) => {
    const found = await pollOf(core, req.params.token, res);
    if (!found) return;
    const answer = found.poll.answers.find((a) => a.respondent === found.claims.respondent);
    if (!answer) return void res.redirect(303, `/p/${req.params.token}`);
    res.send(thanksPage(req.params.token, found.poll, answer, req.query['commented'] === '1', null));
  });

  http.post('/p/:token/comment', form, async (req, res) => {
    const found = await pollOf(core, req.params.token, res);
    if (!found) return;
    const typed = (req.body as Record<string, unknown> | undefined)?.['comment'];
    const comment = typeof typed === 'string' ? typed : '';
    const answer = found.poll.answers.find((a) => a.respondent === found.claims.respondent);
    if (!answer) return void res.redirect(303, `/p/${req.params.token}`);
    if (comment.length > commentMax) {
      return void res.status(400).send(thanksPage(req.params.token, found.poll, answer, false, { message: `Your comment is ${comment.length} characters long; please keep it to ${commentMax}.`, text: comment }));
    }
    const outcome = await core.polls!.comment(found.claims.pollId, found.claims.respondent, comment);
    if (!outcome.ok) return void (outcome.why === 'closed' ? refused(res, outcome.closedAt) : notFound(res));
    res.redirect(303, `/p/${req.params.token}/thanks?commented=1`);
  });
}

/** The poll a link names, after its signature and expiry are checked; null once the refusal page is sent. */
async function pollOf(core: Core, token: string, res: Response): Promise<{ poll: Poll; claims: LinkClaims } | null> {
  // Links carry a token: no cache, no referrer, no search engine keeps them.
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });
  const read = core.polls?.readLink(token) ?? null;
  if (!read || (!read.ok && read.why === 'forged')) return notFound(res);
  if (!read.ok) return refused(res, read.expiredAt ?? null);
  const poll = await core.polls!.get(read.claims.pollId);
  // A link is for the person the poll went to; once they are forgotten it works for no one.
  if (!poll || poll.status !== 'sent' || poll.email !== read.claims.respondent) return notFound(res);
  return { poll, claims: read.claims };
}

function notFound(res: Response): null {
  res.status(404).send(page('This poll link does not work', ['It is not a link guanxi made, or part of it is missing. Open the link again from the mail, copying all of it, or simply reply to the mail.']));
  return null;
}

/** 410: the link was real, the poll is closed. */
function refused(res: Response, closedAt: Date | null): null {
  const when = closedAt ? ` on ${formatInZone(closedAt, 'UTC', closedAt)} (UTC)` : '';
  res.status(410).send(page('This poll has closed', [`Its answers were collected until${when || ' its closing date'}, so nothing was recorded. Thank you all the same; you can still reply to the mail it came in.`]));
  return null;
}

function offScale(res: Response, token: string, poll: Poll, typed: unknown): void {
  const { min, max } = pollScales[poll.kind];
  res.status(400).send(questionPage(token, poll, `${typeof typed === 'string' && typed !== '' ? `"${typed}" is not a score here` : 'No score was picked'}: scores go from ${min} to ${max}. Nothing was recorded; pick one below.`));
}

function scoreOf(typed: unknown): number | null {
  return typeof typed === 'string' && /^\d{1,2}$/.test(typed) ? Number(typed) : null;
}
