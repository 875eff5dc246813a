import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OPEN311_CONTENT_TYPE, renderOpen311, renderOpen311Errors, type Open311Format, type Open311Value } from '../../open311/open311-format.js';
import { Open311Failure, type Open311Params } from '../../open311/open311-params.js';
import type { Open311Service } from '../../open311/open311-service.js';
import { answerProblemsAs, type ProblemFormat } from '../error-boundary.js';
import { HttpProblem, INTERNAL_MESSAGE } from '../http-problem.js';

export const OPEN311_BASE = '/open311/v2';

/** `requests.xml` → ['requests', 'xml']; an unknown format is refused in XML, the required format. */
function splitFile(file: string): { name: string; format: Open311Format } {
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
  if (ext !== 'xml' && ext !== 'json') throw new Open311Failure(404, 'Ask for a format: end the address with .xml or .json.');
  return { name: file.slice(0, dot), format: ext };
}

const NOT_A_FORM = 'The request body must be form fields (application/x-www-form-urlencoded).';

/** Query and form values as strings; anything else (raw bytes of another type, nested JSON) is malformed. */
function paramsOf(...sources: unknown[]): Open311Params {
  const out: Open311Params = {};
  for (const src of sources) {
    if (src === undefined || src === null || src === '' || (Buffer.isBuffer(src) && src.length === 0)) continue;
    if (typeof src !== 'object' || Array.isArray(src) || Buffer.isBuffer(src)) throw new Open311Failure(400, NOT_A_FORM);
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

/** Open311's refusals as the front door's problems, with the same status and words. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Open311Failure) throw new HttpProblem(e.status, 'open311', e.description);
    throw e;
  }
}

/** Problems as the specification's error list, in the format the address asks for. */
const open311Problem: ProblemFormat = (reply, p, req) => {
  const format = formatOfUrl(req.url);
  const [status, description] = p.code === 'open311' || p.status === 405 ? [p.status, p.message]
    : p.code === 'not_found' ? [404, 'There is no such Open311 method.']
      : p.status >= 500 ? [500, INTERNAL_MESSAGE]
        : p.status === 413 ? [400, 'The request body is too large.']
          : [400, p.code === 'bad_url' ? p.message : 'The request could not be read: send form fields (application/x-www-form-urlencoded).'];
  return reply.code(status).header('content-type', OPEN311_CONTENT_TYPE[format]).send(renderOpen311Errors(format, [{ code: status, description }]));
};

/**
 * GeoReport v2 with FixMyStreet's servicerequestupdates, under /open311/v2/. A fastify plugin for
 * the front door (its error boundary writes failures as the error list); the Open311 service
 * does the work.
 */
export function open311Plugin(service: Open311Service) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (scoped) => {
      answerProblemsAs(scoped, open311Problem);
      if (!scoped.hasContentTypeParser('application/x-www-form-urlencoded')) await scoped.register(formbody, { bodyLimit: 64 * 1024 });
      const base = (req: FastifyRequest) => `${req.protocol}://${req.host}${OPEN311_BASE}`;

      scoped.get<{ Params: { file: string } }>('/:file', (req, reply) => answering(async () => {
        const { name, format } = splitFile(req.params.file);
        const p = paramsOf(req.query);
        if (name === 'discovery') return send(reply, format, 200, 'discovery', service.discovery(base(req)));
        if (name === 'services') return send(reply, format, 200, 'services', await service.services(p));
        if (name === 'requests') return send(reply, format, 200, 'service_requests', await service.listRequests(p));
        if (name === 'servicerequestupdates') return send(reply, format, 200, 'service_request_updates', await service.listUpdates(p));
        throw new Open311Failure(404, 'There is no such Open311 method.');
      }));
      scoped.post<{ Params: { file: string } }>('/:file', { bodyLimit: 64 * 1024 }, (req, reply) => answering(async () => {
        const { name, format } = splitFile(req.params.file);
        const p = paramsOf(req.query, req.body);
        if (name === 'requests') return send(reply, format, 200, 'service_requests', await service.createRequest(p));
        if (name === 'servicerequestupdates') return send(reply, format, 200, 'service_request_updates', await service.postUpdate(p));
        throw new Open311Failure(404, 'There is no such Open311 method.');
      }));
      scoped.get<{ Params: { file: string } }>('/services/:file', (req, reply) => answering(async () => {
        const { name, format } = splitFile(req.params.file);
        return send(reply, format, 200, 'service_definition', await service.definition(name, paramsOf(req.query)));
      }));
      // GET service_request_id from a token: wardline answers a POST with the service_request_id
      // itself, so it never issues a token and every token is unknown.
      scoped.get<{ Params: { file: string } }>('/tokens/:file', (req) => answering(async () => {
        const { name } = splitFile(req.params.file);
        throw new Open311Failure(404, `token ${name.slice(0, 100)} was not found: wardline answers a new request with its service_request_id at once and issues no tokens.`);
      }));
      scoped.get<{ Params: { file: string } }>('/requests/:file', (req, reply) => answering(async () => {
        const { name, format } = splitFile(req.params.file);
        return send(reply, format, 200, 'service_requests', await service.getRequest(name, paramsOf(req.query)));
      }));
    }, { prefix: OPEN311_BASE });
  };
}
