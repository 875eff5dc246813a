import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../shared/logger.js';
import { HttpProblem, INTERNAL_MESSAGE } from './http-problem.js';

/** Fastify's own refusals, in the words and codes wardline uses. */
const FRAMEWORK: Record<string, { error: string; message: (e: FastifyError, limit: number) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { error: 'too_large', message: (_e, limit) => `The request body is over ${limit} bytes.` },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { error: 'bad_request', message: () => 'The Content-Length does not match the body.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { error: 'unsupported_media_type', message: () => 'That Content-Type is not one this endpoint reads.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { error: 'invalid_json', message: () => 'The body is empty; send JSON.' },
  FST_ERR_BAD_URL: { error: 'bad_url', message: () => 'The address is not valid: check its percent-encoding (%XX).' },
  FST_ERR_MAX_PARAM_LENGTH: { error: 'bad_url', message: () => 'A part of the address is too long.' },
};

/** Where route patterns are kept so that a wrong method can be told apart from a wrong path. */
interface KnownRoute { method: string; parts: string[] }

/**
 * The one error boundary: every refusal is `{error, message}` JSON; a 500 is logged with its cause
 * and says only that it was logged, never a stack; unknown paths are 404 and known paths with
 * another method 405 with `Allow`.
 */
export function installErrorBoundary(app: FastifyInstance, o: { logger: Logger; bodyLimit: number }): void {
  const known: KnownRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') known.push({ method, parts: splitPath(r.url ?? r.path) });
  });

  app.setErrorHandler((e: FastifyError, request, reply) => answerError(e, request, reply, o));
  app.setNotFoundHandler((request, reply) => {
    const parts = splitPath(request.url.split('?')[0] ?? '/');
    const allowed = [...new Set(known.filter((r) => matches(r.parts, parts)).map((r) => r.method))];
    if (allowed.length) {
      return reply.code(405).header('allow', allowed.join(', '))
        .send({ error: 'method_not_allowed', message: `Use ${allowed.join(' or ')} here.` });
    }
    return reply.code(404).send({ error: 'not_found', message: 'Nothing here at that address.' });
  });
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

function answerError(e: FastifyError, request: FastifyRequest, reply: FastifyReply, o: { logger: Logger; bodyLimit: number }): void {
  if (reply.sent || reply.raw.headersSent) {
    o.logger.error({ err: e, method: request.method, route: request.routeOptions.url }, 'request failed after its answer began');
    reply.raw.destroy();
    return;
  }
  if (e instanceof HttpProblem) {
    void reply.code(e.status).send({ error: e.code, message: e.message });
    return;
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const known = e.code ? FRAMEWORK[e.code] : undefined;
    // The rest of an over-long body is not read: close the connection rather than leave it half-read.
    if (status === 413) void reply.header('connection', 'close');
    void reply.code(status).send(known
      ? { error: known.error, message: known.message(e, o.bodyLimit) }
      : { error: 'bad_request', message: e.message });
    return;
  }
  o.logger.error({ err: e, method: request.method, route: request.routeOptions.url ?? 'unmatched' }, 'request failed');
  void reply.code(500).send({ error: 'internal', message: INTERNAL_MESSAGE });
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
