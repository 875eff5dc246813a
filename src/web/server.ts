import type { Server } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { cleanJson } from '../shared/clean-text.js';
import type { Logger } from '../shared/logger.js';
import { HttpProblem } from './http-problem.js';
import { answerClientError, frameworkErrorAnswer, installErrorBoundary } from './error-boundary.js';
import type { Metrics } from './metrics.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface WebServer {
  app: FastifyInstance;
  server: Server;
  url: string;
  close(): Promise<void>;
}

export type WebPlugin = (app: FastifyInstance) => Promise<void>;

/** Every request body, whatever its type, up to this many bytes (the README's "1 MB"). */
export const BODY_LIMIT = 1_000_000;

/**
 * How long a plugin may take to register. Plugins load their modules when registered (the tracker,
 * Open311, the chat adapters); on a busy two-core machine that has taken longer than fastify's
 * default 10 s, which made `npm start` fail with "Plugin did not start in time".
 */
export const PLUGIN_TIMEOUT_MS = 120_000;

/** Limits on slow or idle clients: the whole request must arrive in 15 s, headers in 10. */
export const TIMEOUTS = { connectionMs: 60_000, requestMs: 15_000, headersMs: 10_000, keepAliveMs: 65_000 } as const;

/**
 * The HTTP server (fastify): health, readiness, metrics, and the routes `plugins` add (chat
 * adapters, the workspace, the tracker, Open311). One error boundary answers every failure.
 */
export async function startWebServer(opts: WebAppOptions & { host: string; port: number }): Promise<WebServer> {
  const app = await createWebApp(opts);
  await app.listen({ port: opts.port, host: opts.host });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    app, server: app.server, url: `http://${host}:${port}`,
    close: async () => {
      const force = setTimeout(() => app.server.closeAllConnections(), 5000).unref();
      await app.close();
      clearTimeout(force);
    },
  };
}

export interface WebAppOptions {
  logger: Logger; metrics: Metrics; readiness: ReadinessCheck[]; plugins?: WebPlugin[];
}

/** The front door without a listener (tests inject into it): every plugin registered, ready. */
export async function createWebApp(opts: WebAppOptions): Promise<FastifyInstance> {
  const boundary = { logger: opts.logger, bodyLimit: BODY_LIMIT };
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // Each request is counted in the metrics; logging every one would drown the rest.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    connectionTimeout: TIMEOUTS.connectionMs,
    requestTimeout: TIMEOUTS.requestMs,
    keepAliveTimeout: TIMEOUTS.keepAliveMs,
    http: { headersTimeout: TIMEOUTS.headersMs },
    // `//healthz` is `/healthz`; channel ids are far shorter than 200 characters.
    routerOptions: { ignoreDuplicateSlashes: true, maxParamLength: 200 },
    frameworkErrors: frameworkErrorAnswer(boundary),
    clientErrorHandler: answerClientError,
    return503OnClosing: true,
    pluginTimeout: PLUGIN_TIMEOUT_MS,
  });
  installErrorBoundary(app, boundary);
  // Bodies stay raw bytes (Slack's signature is over the exact bytes); each route parses its own
  // (a plugin may add a parser in its own scope, as forms for the tracker and Open311).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // What PostgreSQL cannot store (NUL, half a UTF-16 pair): never part of an address here, and
  // cleaned out of forms' text (the rest of the words kept). For every route.
  app.addHook('preValidation', async (request) => {
    if (!storable(request.params) || !storable(request.query)) throw new HttpProblem(400, 'bad_url', 'The address holds a NUL character; no address here has one.');
    if (request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) request.body = cleanJson(request.body);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? 'unmatched' : request.routeOptions.url ?? 'unmatched';
    opts.metrics.httpDuration.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
  });
  addHealthRoutes(app, opts);
  for (const plugin of opts.plugins ?? []) await app.register(plugin);
  await app.ready();
  return app;
}

/** wardline's own icon (not GOV.UK's crown, which is for central government): a white W on the council's blue. */
export const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d70b8"/>'
  + '<path d="M5 9h4l2.5 11L14 9h4l2.5 11L23 9h4l-4.5 16h-4L16 15l-2.5 10h-4z" fill="#fff"/></svg>';

function addHealthRoutes(app: FastifyInstance, opts: { metrics: Metrics; readiness: ReadinessCheck[] }): void {
  // Browsers ask for /favicon.ico on every page whatever the page links; both names get the icon.
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, async (_request, reply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(ICON_SVG));
  }
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(opts.readiness.map(async (r) => {
      try {
        await withTimeout(r.check(), 2000);
        return { name: r.name, ok: true };
      } catch (e) {
        return { name: r.name, ok: false, error: (e as Error).message };
      }
    }));
    const ok = results.every((r) => r.ok);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks: results });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await opts.metrics.registry.metrics();
    return reply.type(opts.metrics.registry.contentType).send(text);
  });
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); ok(v); }, (e) => { clearTimeout(t); fail(e); });
  });
}

function storable(v: unknown): boolean {
  const text = JSON.stringify(v ?? null);
  return text === JSON.stringify(cleanJson(v ?? null));
}
