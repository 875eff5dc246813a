import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseContext, CaseService } from '../../cases/case-service.js';
import type { Db } from '../../db/client.js';
import { createSessionRepo } from '../../db/session-repo.js';
import type { Person } from '../../directory/person.js';
import type { Clock } from '../../shared/clock.js';
import { isAppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerCasePages } from './case-pages.js';
import { registerDashboardPages } from './dashboard-pages.js';
import { registerDigestPages } from './digest-pages.js';
import { html } from './html.js';
import { page, type PageChrome } from './layout.js';
import type { OidcProvider } from './oidc.js';
import { cookiePolicy, csrfValid, loadSession } from './session.js';

/** What the Ward Action Tracker needs: the database, the case services, the clock and sign-in. */
export interface TrackerDeps {
  db: Db;
  cases: CaseService;
  clock: Clock;
  loadContext: () => Promise<CaseContext>;
  logger: Logger;
  zone: string;
  /** Sign-in providers; none means demo sign-in (only where `demo` is allowed). */
  providers: OidcProvider[];
  /** Demo sign-in with a persona picker: only on loopback with the built-in workspace on. */
  demo: boolean;
  publicUrl: string | null;
  idleMinutes: number;
}

export type TrackerContext = TrackerDeps & {
  sessions: ReturnType<typeof createSessionRepo>;
  cookie: ReturnType<typeof cookiePolicy>;
  chrome(req: FastifyRequest, current?: PageChrome['current']): PageChrome;
  /** The signed-in person, or a redirect to sign in (then null). */
  requirePerson(req: FastifyRequest, reply: FastifyReply): Person | null;
  showError(reply: FastifyReply, req: FastifyRequest, status: number, title: string, text: string): FastifyReply;
};

export class HttpRefusal extends Error {
  constructor(readonly status: number, readonly title: string, message: string) {
    super(message);
  }
}

const STATUS_OF: Record<string, number> = {
  'case.forbidden': 403, 'case.not_found': 404, 'directory.unknown_person': 403, 'input.invalid': 400,
  'case.invalid_input': 400, 'case.invalid_transition': 409, 'case.conflict': 409, 'catalogue.unknown_ward': 404, 'catalogue.unknown_service': 404,
};

function findUp(rel: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`${rel} is missing: run npm ci`);
    dir = up;
  }
}

/** The Ward Action Tracker as a fastify plugin: sign-in, case pages, dashboards, CSV exports. */
export async function registerTracker(app: FastifyInstance, deps: TrackerDeps): Promise<void> {
  const govuk = findUp('node_modules/govuk-frontend/dist/govuk');
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 200_000 });
  await app.register(fastifyStatic, { root: govuk, prefix: '/govuk/', decorateReply: false, allowedPath: (p) => /\.(css|js|mjs|map)$/.test(p) });
  await app.register(fastifyStatic, { root: join(govuk, 'assets'), prefix: '/assets/', decorateReply: false });
  for (const [file, type] of [['tracker.css', 'text/css; charset=utf-8'], ['tracker.js', 'text/javascript; charset=utf-8']] as const) {
    const body = await readFile(new URL(`../static/${file}`, import.meta.url), 'utf8');
    app.get(`/${file}`, (_req, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }

  const sessions = createSessionRepo(deps.db);
  const cookie = cookiePolicy(deps.publicUrl);
  app.decorateRequest('wl', null as never);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'");
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (/^\/(govuk\/|assets\/|tracker\.)/.test(req.url)) { req.wl = { session: null, person: null, expired: false }; return; }
    reply.header('cache-control', 'no-store');
    req.wl = await loadSession(req, sessions, cookie, {
      now: deps.clock.now(), idleMs: deps.idleMinutes * 60_000,
      findPerson: async (id) => (await deps.loadContext()).directory.byId.get(id) ?? null,
    });
  });
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST') return;
    if (!csrfValid(req.wl.session, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      throw new HttpRefusal(403, 'This form has expired', 'The form was out of date or did not come from this site, so nothing was changed. Go back, reload the page and try again.');
    }
  });

  const ctx: TrackerContext = {
    ...deps, sessions, cookie,
    chrome: (req, current) => ({ person: req.wl.person, csrfToken: req.wl.session?.csrfToken ?? null, demo: deps.demo && deps.providers.length === 0, ...(current ? { current } : {}) }),
    requirePerson(req, reply) {
      if (req.wl.person) return req.wl.person;
      void reply.redirect(`/auth/sign-in?returnTo=${encodeURIComponent(req.url)}`, 303);
      return null;
    },
    showError(reply, req, status, title, text) {
      return reply.status(status).type('text/html; charset=utf-8').send(page(title, ctx.chrome(req), html`
        <h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${text}</p>
        <p class="govuk-body"><a class="govuk-link" href="/">Go to the start</a></p>`).value);
    },
  };

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpRefusal) return ctx.showError(reply, req, err.status, err.title, err.message);
    if (isAppError(err)) {
      const status = STATUS_OF[err.code] ?? 400;
      return ctx.showError(reply, req, status, status === 403 ? 'You cannot see this' : status === 404 ? 'Page not found' : 'That did not work', err.message);
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) return ctx.showError(reply, req, status, 'That request was not understood', 'Check the address or the form and try again.');
    deps.logger.error({ err, url: req.routeOptions.url }, 'tracker request failed');
    return ctx.showError(reply, req, 500, 'Sorry, there is a problem with the service', 'It has been logged. Try again shortly.');
  });
  app.setNotFoundHandler((req, reply) => ctx.showError(reply, req, 404, 'Page not found', 'If you typed the address, check it is correct.'));

  app.get('/', async (req, reply) => reply.redirect(req.wl.person ? '/cases' : '/auth/sign-in', 303));
  registerAuthRoutes(app, ctx);
  registerCasePages(app, ctx);
  registerDashboardPages(app, ctx);
  registerDigestPages(app, ctx);
}
