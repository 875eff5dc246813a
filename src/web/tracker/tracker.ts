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
import type { Logger } from '../../shared/logger.js';
import { answerProblemsAs, type Problem } from '../error-boundary.js';
import { HttpProblem, INTERNAL_MESSAGE } from '../http-problem.js';
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
  /** Cases read from the database at a time for a CSV export (default 500). */
  csvBatchRows?: number;
  /** Cases counted per batch when the dashboards' rollup is built (default 1000). */
  statsBatchCases?: number;
  /** How long a dashboard request waits for the rollup's build before saying it is being prepared (default 1500 ms). */
  statsWaitMs?: number;
}

export type TrackerContext = TrackerDeps & {
  sessions: ReturnType<typeof createSessionRepo>;
  cookie: ReturnType<typeof cookiePolicy>;
  chrome(req: FastifyRequest, current?: PageChrome['current']): PageChrome;
  /** The signed-in person, or a redirect to sign in (then null). */
  requirePerson(req: FastifyRequest, reply: FastifyReply): Person | null;
  showError(reply: FastifyReply, req: FastifyRequest, status: number, title: string, text: string): FastifyReply;
};

/** A refusal with a page title (the front door's error boundary answers it as the tracker's page). */
export class HttpRefusal extends HttpProblem {
  constructor(status: number, title: string, message: string) {
    super(status, 'refused', message, title);
  }
}

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
  const ctx = trackerContext(deps);
  // Failures are the front door's to decide; here they are written as the tracker's own pages.
  answerProblemsAs(app, (reply, problem, req) => ctx.showError(reply, req, problem.status, ...pageWords(problem)));
  const govuk = findUp('node_modules/govuk-frontend/dist/govuk');
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 200_000 });
  await app.register(fastifyStatic, { root: govuk, prefix: '/govuk/', decorateReply: false, allowedPath: (p) => /\.(css|js|mjs|map)$/.test(p) });
  await app.register(fastifyStatic, { root: join(govuk, 'assets'), prefix: '/assets/', decorateReply: false });
  for (const [file, type] of [['tracker.css', 'text/css; charset=utf-8'], ['tracker.js', 'text/javascript; charset=utf-8']] as const) {
    const body = await readFile(new URL(`../static/${file}`, import.meta.url), 'utf8');
    app.get(`/${file}`, (_req, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }

  const { sessions, cookie } = ctx;
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
    // The pages' forms send each field once; a repeated one is not from them.
    if (Object.values((req.body ?? {}) as object).some((v) => typeof v !== 'string')) {
      throw new HttpRefusal(400, 'That form was not understood', 'A field was sent more than once, so nothing was changed. Go back, reload the page and try again.');
    }
  });

  app.get('/', async (req, reply) => reply.redirect(req.wl.person ? '/cases' : '/auth/sign-in', 303));
  registerAuthRoutes(app, ctx);
  registerCasePages(app, ctx);
  registerDashboardPages(app, ctx);
  registerDigestPages(app, ctx);
}

function trackerContext(deps: TrackerDeps): TrackerContext {
  const sessions = createSessionRepo(deps.db);
  const cookie = cookiePolicy(deps.publicUrl);
  const ctx: TrackerContext = {
    ...deps, sessions, cookie,
    // `wl` is null when the request failed before its session was read.
    chrome: (req, current) => ({ person: req.wl?.person ?? null, csrfToken: req.wl?.session?.csrfToken ?? null, demo: deps.demo && deps.providers.length === 0, ...(current ? { current } : {}) }),
    requirePerson(req, reply) {
      if (req.wl?.person) return req.wl.person;
      void reply.redirect(`/auth/sign-in?returnTo=${encodeURIComponent(req.url)}`, 303);
      return null;
    },
    showError(reply, req, status, title, text) {
      return reply.status(status).type('text/html; charset=utf-8').send(page(title, ctx.chrome(req), html`
        <h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${text}</p>
        <p class="govuk-body"><a class="govuk-link" href="/">Go to the start</a></p>`).value);
    },
  };
  return ctx;
}

/** A problem's title and words on a tracker page. */
function pageWords(p: Problem): [string, string] {
  if (p.title) return [p.title, p.message];
  if (p.status >= 500) return ['Sorry, there is a problem with the service', INTERNAL_MESSAGE];
  if (p.status === 404 && p.code === 'not_found') return ['Page not found', 'If you typed the address, check it is correct.'];
  if (/^(case|catalogue|directory|input)\./.test(p.code)) {
    return [p.status === 403 ? 'You cannot see this' : p.status === 404 ? 'Page not found' : 'That did not work', p.message];
  }
  return ['That request was not understood', 'Check the address or the form and try again.'];
}
