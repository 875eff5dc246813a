import type { FastifyRequest } from 'fastify';
import { html } from './tracker/html.js';
import type { Problem, ProblemFormat } from './error-boundary.js';

/** The weight a client's Accept header gives a media type (0 when absent), wildcards included. */
function weightOf(accept: string, type: string): { q: number; at: number } {
  let best = { q: 0, at: Number.MAX_SAFE_INTEGER, specificity: -1 };
  accept.split(',').forEach((part, at) => {
    const [range = '', ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const [main, sub] = range.split('/');
    const specificity = range === type ? 2 : sub === '*' && main === type.split('/')[0] ? 1 : range === '*/*' ? 0 : -1;
    if (specificity < 0 || specificity < best.specificity) return;
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    best = { q: Number.isFinite(q) ? q : 0, at, specificity };
  });
  return best.specificity < 0 ? { q: 0, at: Number.MAX_SAFE_INTEGER } : best;
}

/** A browser (text/html preferred to JSON) rather than an API client. */
export function prefersHtml(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  if (!accept) return false;
  const h = weightOf(accept, 'text/html');
  const j = weightOf(accept, 'application/json');
  return h.q > 0 && (h.q > j.q || (h.q === j.q && h.at < j.at));
}

const TITLES: Record<number, string> = { 404: 'Page not found', 405: 'This page cannot do that' };

/** A small page for browsers: its own language, title, landmark and heading, readable without styles or scripts. */
export const htmlProblem: ProblemFormat = (reply, p: Problem) => {
  const title = p.title ?? TITLES[p.status] ?? 'Something is wrong with this request';
  const body = html`<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <title>${title} – wardline</title>
</head>
<body>
  <main id="main-content">
    <h1>${title}</h1>
    <p>${p.message}</p>
    <p>If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.</p>
  </main>
</body>
</html>
`;
  return reply.code(p.status).type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; frame-ancestors 'none'").send(body.value);
};
