import { createServer, type Server } from 'node:http';
import type { Logger } from '../shared/logger.js';
import { Router, sendJson, sendText } from './http-router.js';
import type { Metrics } from './metrics.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface WebServer {
  server: Server;
  router: Router;
  url: string;
  close(): Promise<void>;
}

/** The HTTP server: health, readiness, metrics, and whatever routes the adapters add to `router`. */
export async function startWebServer(opts: {
  host: string; port: number; logger: Logger; metrics: Metrics; readiness: ReadinessCheck[]; router?: Router;
}): Promise<WebServer> {
  const router = opts.router ?? new Router();
  router.add('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  router.add('GET', '/readyz', async (_req, res) => {
    const results = await Promise.all(opts.readiness.map(async (r) => {
      try {
        await withTimeout(r.check(), 2000);
        return { name: r.name, ok: true };
      } catch (e) {
        return { name: r.name, ok: false, error: (e as Error).message };
      }
    }));
    const ok = results.every((r) => r.ok);
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks: results });
  });
  router.add('GET', '/metrics', async (_req, res) => {
    sendText(res, 200, await opts.metrics.registry.metrics(), opts.metrics.registry.contentType);
  });

  const server = createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = router.match(req.method ?? 'GET', url.pathname);
    let route = 'unmatched';
    try {
      if (!found) sendJson(res, 404, { error: 'not_found', message: `Nothing here at ${url.pathname}.` });
      else if ('allowed' in found) {
        res.setHeader('allow', found.allowed.join(', '));
        sendJson(res, 405, { error: 'method_not_allowed', message: `Use ${found.allowed.join(' or ')} here.` });
      } else {
        route = found.pattern;
        await found.handler(req, res, found.params);
      }
    } catch (e) {
      const status = (e as { status?: number }).status ?? 500;
      opts.logger.error({ err: e, route }, 'request failed');
      if (!res.headersSent) {
        // The rest of an over-long body is not read: close the connection rather than leave it half-read.
        if (status === 413) res.setHeader('connection', 'close');
        sendJson(res, status, status === 500
          ? { error: 'internal', message: 'Something went wrong on our side; it has been logged. Try again shortly.' }
          : { error: 'bad_request', message: (e as Error).message });
      } else res.end();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      opts.metrics.httpDuration.labels(req.method ?? 'GET', route, String(res.statusCode)).observe(seconds);
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen({ port: opts.port, host: opts.host }, () => ok());
  });
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server, router, url: `http://${host}:${port}`,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 5000).unref();
    }),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); ok(v); }, (e) => { clearTimeout(t); fail(e); });
  });
}
