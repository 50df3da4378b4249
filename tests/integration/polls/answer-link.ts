import type { Guanxi } from '../../support/guanxi.ts';

/** The answer links of a poll mail, in score order, pointed at the test server instead of PUBLIC_URL. */
export function answerLinks(guanxi: Guanxi, text: string): string[] {
  return [...text.matchAll(/https:\/\/crm\.ourteam\.io(\/p\/[A-Za-z0-9_.-]+\?score=\d+)/g)].map((m) => `${guanxi.url}${m[1]}`);
}

/** What a browser does with a form: POST it, and not follow the 303 (the test reads where it goes). */
export function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields), redirect: 'manual' });
}
