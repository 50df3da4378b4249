import { randomUUID } from 'node:crypto';

/**
 * Graph's side of a webhook: the validation handshake on create (PLATFORMS.md
 * C2) and notification POSTs (C3, C4), sent with fetch (so to an https
 * receiver only when the test CA is trusted: vitest.config.ts sees to that).
 */

export interface Handshake {
  url: string;
  /** The token as Graph meant it; the URL carried it percent-encoded. */
  token: string;
  /** 0 when no answer came (refused, or later than the timeout). */
  status: number;
  contentType: string | undefined;
  body: string;
  ok: boolean;
  /** Why it failed, in the fake's words (Graph's answer says less). */
  why: string | undefined;
  at: Date;
}

export interface WebhookPost {
  status: number;
  body: string;
  /** Wall-clock ms until the answer: Graph counts answers over 3 s as slow (C3). */
  ms: number;
  error: string | undefined;
}

/** POST `url?validationToken=…` with an empty text/plain body; pass only a 200 text/plain answer of exactly the decoded token. */
export async function validateEndpoint(url: string, timeoutMs: number, at: Date): Promise<Handshake> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  // A query string already in the URL is kept (C2).
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  const post = await postTo(target, 'text/plain; charset=utf-8', '', timeoutMs);
  const contentType = post.contentType;
  const fail = (why: string): Handshake => ({ url, token, status: post.status, contentType, body: post.body, ok: false, why, at });
  if (post.error !== undefined) return fail(post.error);
  if (post.status !== 200) return fail(`answered ${post.status}, not 200`);
  if (!/^text\/plain\b/i.test(contentType ?? '')) return fail(`answered Content-Type ${contentType ?? '(none)'}, not text/plain`);
  if (post.body !== token) {
    const encoded = post.body === encodeURIComponent(token) || post.body === token.replace(/ /g, '+');
    return fail(encoded ? 'answered the token still URL-encoded' : `answered ${JSON.stringify(post.body.slice(0, 200))}, not the token`);
  }
  return { url, token, status: 200, contentType, body: post.body, ok: true, why: undefined, at };
}

export async function postNotification(url: string, body: unknown, timeoutMs: number): Promise<WebhookPost> {
  const post = await postTo(url, 'application/json; charset=utf-8', JSON.stringify(body), timeoutMs);
  return { status: post.status, body: post.body, ms: post.ms, error: post.error };
}

async function postTo(url: string, contentType: string, body: string, timeoutMs: number): Promise<WebhookPost & { contentType: string | undefined }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': contentType, 'User-Agent': 'Microsoft-Graph-Fake' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text, ms: performance.now() - started, error: undefined, contentType: response.headers.get('content-type') ?? undefined };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `could not reach it (${cause ?? String(error)})`;
    return { status: 0, body: '', ms: performance.now() - started, error: why, contentType: undefined };
  }
}
