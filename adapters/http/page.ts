export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const style = [
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}',
  'h1{font-size:1.4rem}',
  'button{font:inherit;cursor:pointer}',
  '.scores{display:flex;flex-wrap:wrap;gap:.4rem;border:0;padding:0;margin:1rem 0}',
  '.scores button{min-width:2.75rem;min-height:2.75rem;border:2px solid #7a2e2e;border-radius:.3rem;background:#fff;color:#7a2e2e;font-weight:bold}',
  '.scores button[aria-pressed=true],.primary{background:#7a2e2e;color:#fff;border:2px solid #7a2e2e;border-radius:.3rem;padding:.5rem 1rem}',
  'button:focus-visible,textarea:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}',
  'textarea{width:100%;min-height:6rem;font:inherit;box-sizing:border-box}',
  '.hint{color:#555;font-size:.9rem}',
].join('');

/** A small, plain HTML page: `body` is HTML the caller built (and escaped). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · guanxi</title>
<style>${style}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>
</html>`;
}

/** A small, plain HTML page for people who arrive in a browser (sign-in callbacks). */
export function page(title: string, paragraphs: string[]): string {
  return htmlPage(title, paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''));
}
