import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpRoutes, RawHandler, RawResponse } from '../shared/http-port.js';

/** The request body as sent: the server reads every content type as raw bytes. */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** Sends a port answer: a string as text, an object as JSON, nothing as an empty body. */
export function sendRaw(reply: FastifyReply, answer: RawResponse): FastifyReply {
  void reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) void reply.header(name, value);
  if (answer.body === undefined) return reply.send();
  if (typeof answer.body === 'string') {
    if (!reply.hasHeader('content-type')) void reply.type('text/plain; charset=utf-8');
    return reply.send(answer.body);
  }
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.body));
}

/** The neutral port the chat adapters mount their endpoints through. */
export function rawRoutes(app: FastifyInstance): HttpRoutes {
  const add = (method: 'GET' | 'POST', path: string, handler: RawHandler) => {
    app.route({
      method, url: path,
      handler: async (request, reply) => sendRaw(reply, await handler({ method: request.method, headers: request.headers, body: rawBody(request) })),
    });
  };
  return { get: (path, handler) => add('GET', path, handler), post: (path, handler) => add('POST', path, handler) };
}
