import type { Poll, PollAnswer } from '../../src/domain/poll.ts';
import { commentMax } from '../../src/polls/record-answer.ts';
import { pollScales, scoresOf } from '../../src/polls/poll-scales.ts';
import { escapeHtml, htmlPage } from './page.ts';

/** The poll's scores as buttons of one form: a click posts the score. */
function scoreForm(token: string, poll: Poll, current: number | null, legend: string): string {
  const scale = pollScales[poll.kind];
  const buttons = scoresOf(poll.kind)
    .map((score) => `<button type="submit" name="score" value="${score}" aria-pressed="${score === current}" aria-label="${score} out of ${scale.max}${score === scale.min ? `, ${scale.low}` : score === scale.max ? `, ${scale.high}` : ''}">${score}</button>`)
    .join('');
  return `<form method="post" action="/p/${escapeHtml(token)}">
<fieldset class="scores"><legend>${escapeHtml(legend)}</legend>${buttons}</fieldset>
<p class="hint">${scale.min} = ${escapeHtml(scale.low)}, ${scale.max} = ${escapeHtml(scale.high)}</p>
</form>`;
}

/** `GET /p/:token` without a score: the question and every score to pick from. */
export function questionPage(token: string, poll: Poll, notice: string | null): string {
  const question = pollScales[poll.kind].question;
  return htmlPage('A quick question', `${notice ? `<p role="alert">${escapeHtml(notice)}</p>` : ''}${scoreForm(token, poll, null, question)}`);
}

/**
 * `GET /p/:token?score=N`, the link clicked in the mail. A GET records
 * nothing (mail scanners fetch every link of a message): this page posts the
 * score at once by script, so one click is enough for a person, and shows the
 * button that does the same where script is off.
 */
export function confirmPage(token: string, poll: Poll, score: number): string {
  const scale = pollScales[poll.kind];
  return htmlPage('Recording your answer', `<form id="answer" method="post" action="/p/${escapeHtml(token)}">
<input type="hidden" name="score" value="${score}">
<p>${escapeHtml(scale.question)} You picked <strong>${score}</strong> out of ${scale.max}.</p>
<p><button type="submit" class="primary">Send my answer: ${score}</button></p>
</form>
<script>document.getElementById('answer').submit()</script>`);
}

/** After an answer: thanks, the comment form, and the scores again for a change of mind. */
export function thanksPage(token: string, poll: Poll, answer: PollAnswer, commented: boolean, error: { message: string; text: string } | null): string {
  const scale = pollScales[poll.kind];
  const said = error ? error.text : (answer.comment ?? '');
  const body = `<p role="status">${commented ? 'Thank you for your comment; it reaches the team as written.' : `Your answer, <strong>${answer.score}</strong> out of ${scale.max}, is recorded.`}</p>
<form method="post" action="/p/${escapeHtml(token)}/comment">
<p><label for="comment">${answer.comment ? 'Your comment (you can change it)' : 'Anything to add? (optional)'}</label></p>
${error ? `<p role="alert" id="comment-error">${escapeHtml(error.message)}</p>` : ''}
<textarea id="comment" name="comment" maxlength="${commentMax}"${error ? ' aria-invalid="true" aria-describedby="comment-error"' : ''}>${escapeHtml(said)}</textarea>
<p><button type="submit" class="primary">Send comment</button></p>
</form>
${scoreForm(token, poll, answer.score, 'Changed your mind? Pick another score')}`;
  return htmlPage('Thank you', body);
}
