import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type ErrorCode } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { HttpProblem, INTERNAL_MESSAGE } from './http-problem.js';
import { htmlProblem, prefersHtml } from './problem-page.js';

/** What the boundary decided about a failure: the format only chooses the words and the shape. */
export interface Problem {
  status: number;
  /** A machine code: `not_found`, `bad_url`, `internal`, a surface's own (`open311`, `refused`), … */
  code: string;
  message: string;
  /** A heading for pages, when the refusal has one. */
  title?: string;
}

/** How one surface (JSON APIs, the tracker's pages, Open311's error list) writes a problem. */
export type ProblemFormat = (reply: FastifyReply, problem: Problem, request: FastifyRequest) => FastifyReply;

interface FrontDoor {
  /** Surfaces mounted under a prefix, for failures found before a route is (bad URLs, 404s). */
  formats: { prefix: string; format: ProblemFormat }[];
}

declare module 'fastify' {
  interface FastifyInstance { frontDoor: FrontDoor }
  interface FastifyRequest { problemFormat: ProblemFormat | null }
}

/** Fastify's own refusals, in the words and codes wardline uses. */
const FRAMEWORK: Record<string, { error: string; message: (e: FastifyError, limit: number) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { error: 'too_large', message: (_e, limit) => `The request body is over ${limit} bytes.` },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { error: 'bad_request', message: () => 'The Content-Length does not match the body.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { error: 'unsupported_media_type', message: () => 'That Content-Type is not one this endpoint reads.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { error: 'invalid_json', message: () => 'The body is empty; send JSON.' },
  FST_ERR_BAD_URL: { error: 'bad_url', message: () => 'The address is not valid: check its percent-encoding (%XX).' },
  FST_ERR_MAX_PARAM_LENGTH: { error: 'bad_url', message: () => 'A part of the address is too long.' },
};

/** Coded errors from the core that are the client's doing; every other code is a logged 500. */
const APP_STATUS: Partial<Record<ErrorCode, number>> = {
  'case.forbidden': 403, 'directory.unknown_person': 403, 'case.not_found': 404, 'catalogue.unknown_ward': 404,
  'catalogue.unknown_service': 404, 'catalogue.unknown_cluster': 404, 'catalogue.unknown_district': 404,
  'input.invalid': 400, 'case.invalid_input': 400, 'csv.invalid': 400, 'case.invalid_transition': 409, 'case.conflict': 409,
};

/** The default format: `{error, message}` JSON. */
export const jsonProblem: ProblemFormat = (reply, p) => reply.code(p.status).type('application/json; charset=utf-8').send({ error: p.code, message: p.message });

/** Where route patterns are kept so that a wrong method can be told apart from a wrong path. */
interface KnownRoute { method: string; parts: string[] }

/**
 * The one error boundary: it decides every refusal's status and words, logs each 500 with its
 * cause (the answer says only that it was logged, never a stack), answers unknown paths 404 and
 * known paths with another method 405 with `Allow`. Each surface chooses only the shape
 * (`answerProblemsAs`); JSON by default.
 */
export function installErrorBoundary(app: FastifyInstance, o: { logger: Logger; bodyLimit: number }): void {
  const known: KnownRoute[] = [];
  app.decorate('frontDoor', { formats: [] } satisfies FrontDoor);
  app.decorateRequest('problemFormat', null);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') known.push({ method, parts: splitPath(r.url ?? r.path) });
  });

  app.setErrorHandler((e: FastifyError, request, reply) => answerError(e, request, reply, o));
  app.setNotFoundHandler((request, reply) => {
    // Outside every surface, a browser gets a page and an API client JSON.
    const format = (req: FastifyRequest): ProblemFormat => {
      const f = formatOf(req);
      return f === jsonProblem && prefersHtml(req) ? htmlProblem : f;
    };
    const parts = splitPath(request.url.split('?')[0] ?? '/');
    const allowed = [...new Set(known.filter((r) => matches(r.parts, parts)).map((r) => r.method))];
    if (allowed.length) {
      void reply.header('allow', allowed.join(', '));
      return format(request)(reply, { status: 405, code: 'method_not_allowed', message: `Use ${allowed.join(' or ')} here.` }, request);
    }
    return format(request)(reply, { status: 404, code: 'not_found', message: 'Nothing here at that address.' }, request);
  });
}

/**
 * In a plugin's scope: its refusals and failures, and unknown paths under its prefix, are written
 * in `format`. Call it first in the scope, before hooks that may fail.
 */
export function answerProblemsAs(scope: FastifyInstance, format: ProblemFormat): void {
  if (!scope.hasDecorator('frontDoor')) throw new Error('answerProblemsAs: register this plugin on the server from startWebServer/createWebApp');
  scope.addHook('onRequest', async (request) => { request.problemFormat = format; });
  if (scope.prefix) scope.frontDoor.formats.push({ prefix: scope.prefix, format });
}

/** For fastify's `frameworkErrors` (bad percent-encoding, over-long parameters): the same answers. */
export function frameworkErrorAnswer(o: { logger: Logger; bodyLimit: number }) {
  return (e: FastifyError, request: FastifyRequest, reply: FastifyReply) => { answerError(e, request, reply, o); };
}

/**
 * For requests that cannot be read as HTTP at all (node's parser refuses them, or they arrive too
 * slowly): the same JSON shape, written on the socket, which is then closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, error, message] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'Request Timeout', 'timeout', 'The request did not arrive in time.']
    : err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The address and headers are over 16 KB.']
      : [400, 'Bad Request', 'bad_request', 'The request could not be read as HTTP/1.1.'];
  const body = JSON.stringify({ error, message });
  if (!socket.writable) { socket.destroy(); return; }
  // end (not destroy) so that the answer is sent before the connection closes.
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 2000).unref();
}

/** What a failure means for the client; null when it is ours (then it is logged and answered 500). */
export function problemOf(e: FastifyError, bodyLimit: number): Problem | null {
  if (e instanceof HttpProblem) return { status: e.status, code: e.code, message: e.message, ...(e.title ? { title: e.title } : {}) };
  if (isAppError(e)) {
    const status = APP_STATUS[e.code];
    return status ? { status, code: e.code, message: e.message } : null;
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status < 400 || status >= 500) return null;
  const known = e.code ? FRAMEWORK[e.code] : undefined;
  return known ? { status, code: known.error, message: known.message(e, bodyLimit) } : { status, code: 'bad_request', message: e.message };
}

function answerError(e: FastifyError, request: FastifyRequest, reply: FastifyReply, o: { logger: Logger; bodyLimit: number }): void {
  if (reply.sent || reply.raw.headersSent) {
    o.logger.error({ err: e, method: request.method, route: request.routeOptions.url }, 'request failed after its answer began');
    reply.raw.destroy();
    return;
  }
  let problem = problemOf(e, o.bodyLimit);
  if (!problem) {
    o.logger.error({ err: e, method: request.method, route: request.routeOptions.url ?? 'unmatched' }, 'request failed');
    problem = { status: 500, code: 'internal', message: INTERNAL_MESSAGE };
  }
  // The rest of an over-long body is not read: close the connection rather than leave it half-read.
  if (problem.status === 413) void reply.header('connection', 'close');
  void formatOf(request)(reply, problem, request);
}

function formatOf(request: FastifyRequest): ProblemFormat {
  if (request.problemFormat) return request.problemFormat;
  const path = request.url.replace(/\/{2,}/g, '/');
  let best: { prefix: string; format: ProblemFormat } | null = null;
  for (const f of request.server.frontDoor.formats) {
    if ((path === f.prefix || path.startsWith(`${f.prefix}/`)) && f.prefix.length > (best?.prefix.length ?? 0)) best = f;
  }
  return best?.format ?? jsonProblem;
}

function splitPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function matches(pattern: string[], parts: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*') return true;
    if (i >= parts.length) return false;
    if (!p.startsWith(':') && p !== parts[i]) return false;
  }
  return pattern.length === parts.length;
}
