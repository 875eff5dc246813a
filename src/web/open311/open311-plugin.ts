import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OPEN311_CONTENT_TYPE, renderOpen311, renderOpen311Errors, type Open311Format, type Open311Value } from '../../open311/open311-format.js';
import { Open311Failure, type Open311Params } from '../../open311/open311-params.js';
import type { Open311Service } from '../../open311/open311-service.js';
import type { Logger } from '../../shared/logger.js';

export const OPEN311_BASE = '/open311/v2';

/** `requests.xml` → ['requests', 'xml']; an unknown format is refused in XML, the required format. */
function splitFile(file: string): { name: string; format: Open311Format } {
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
  if (ext !== 'xml' && ext !== 'json') throw new Open311Failure(404, 'Ask for a format: end the address with .xml or .json.');
  return { name: file.slice(0, dot), format: ext };
}

/** Query and form values as strings; anything else (nested JSON) is malformed. */
function paramsOf(...sources: unknown[]): Open311Params {
  const out: Open311Params = {};
  for (const src of sources) {
    if (src === undefined || src === null || src === '') continue;
    if (typeof src !== 'object' || Array.isArray(src)) throw new Open311Failure(400, 'The request body must be form fields (application/x-www-form-urlencoded).');
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) out[k] = v.map(String);
      else throw new Open311Failure(400, `${k.slice(0, 60)} is not a plain value.`);
    }
  }
  return out;
}

function send(reply: FastifyReply, format: Open311Format, status: number, root: string, value: Open311Value) {
  return reply.code(status).header('content-type', OPEN311_CONTENT_TYPE[format]).send(renderOpen311(format, root, value));
}

const formatOfUrl = (url: string): Open311Format => (/\.json(\?|$)/i.test(url) ? 'json' : 'xml');

/**
 * GeoReport v2 with FixMyStreet's servicerequestupdates, under /open311/v2/. A fastify plugin:
 * the HTTP server registers it; the work is done by the Open311 service.
 */
export function open311Plugin(service: Open311Service, logger: Logger) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (scoped) => {
      if (!scoped.hasContentTypeParser('application/x-www-form-urlencoded')) await scoped.register(formbody, { bodyLimit: 64 * 1024 });
      scoped.setErrorHandler((err: unknown, req, reply) => {
        const format = formatOfUrl(req.url);
        if (err instanceof Open311Failure) return reply.code(err.status).header('content-type', OPEN311_CONTENT_TYPE[format]).send(renderOpen311Errors(format, [{ code: err.status, description: err.description }]));
        const status = (err as { statusCode?: number }).statusCode;
        if (status && status >= 400 && status < 500) {
          const description = status === 413 ? 'The request body is too large.' : 'The request could not be read: send form fields (application/x-www-form-urlencoded).';
          return reply.code(400).header('content-type', OPEN311_CONTENT_TYPE[format]).send(renderOpen311Errors(format, [{ code: 400, description }]));
        }
        // Database errors can quote the values they failed on (residents' details): the full error only at debug.
        logger.error({ error: (err as Error).name, code: (err as { code?: string }).code, route: req.routeOptions.url }, 'open311 request failed');
        logger.debug({ err }, 'open311 request failed (detail)');
        return reply.code(500).header('content-type', OPEN311_CONTENT_TYPE[format]).send(renderOpen311Errors(format, [{ code: 500, description: 'General service error: the request was not completed; try again later.' }]));
      });
      scoped.setNotFoundHandler((req, reply) => {
        const format = formatOfUrl(req.url);
        return reply.code(404).header('content-type', OPEN311_CONTENT_TYPE[format]).send(renderOpen311Errors(format, [{ code: 404, description: 'There is no such Open311 method.' }]));
      });
      const base = (req: FastifyRequest) => `${req.protocol}://${req.host}${OPEN311_BASE}`;

      scoped.get<{ Params: { file: string } }>('/:file', async (req, reply) => {
        const { name, format } = splitFile(req.params.file);
        const p = paramsOf(req.query);
        if (name === 'discovery') return send(reply, format, 200, 'discovery', service.discovery(base(req)));
        if (name === 'services') return send(reply, format, 200, 'services', await service.services(p));
        if (name === 'requests') return send(reply, format, 200, 'service_requests', await service.listRequests(p));
        if (name === 'servicerequestupdates') return send(reply, format, 200, 'service_requests_updates', await service.listUpdates(p));
        throw new Open311Failure(404, 'There is no such Open311 method.');
      });
      scoped.post<{ Params: { file: string } }>('/:file', { bodyLimit: 64 * 1024 }, async (req, reply) => {
        const { name, format } = splitFile(req.params.file);
        const p = paramsOf(req.query, req.body);
        if (name === 'requests') return send(reply, format, 200, 'service_requests', await service.createRequest(p));
        if (name === 'servicerequestupdates') return send(reply, format, 200, 'service_request_updates', await service.postUpdate(p));
        throw new Open311Failure(404, 'There is no such Open311 method.');
      });
      scoped.get<{ Params: { file: string } }>('/services/:file', async (req, reply) => {
        const { name, format } = splitFile(req.params.file);
        return send(reply, format, 200, 'service_definition', await service.definition(name, paramsOf(req.query)));
      });
      scoped.get<{ Params: { file: string } }>('/requests/:file', async (req, reply) => {
        const { name, format } = splitFile(req.params.file);
        return send(reply, format, 200, 'service_requests', await service.getRequest(name, paramsOf(req.query)));
      });
    }, { prefix: OPEN311_BASE });
  };
}
