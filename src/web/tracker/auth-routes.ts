import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from './html.js';
import { page } from './layout.js';
import { clearSessionCookie, setSessionCookie } from './session.js';
import type { TrackerContext } from './tracker.js';

/** Only paths on this site, never another origin ("//evil", "https://…"). */
const safeReturn = (v: unknown) => (typeof v === 'string' && /^\/(?![/\\])/.test(v) ? v : '/cases');

const send = (reply: FastifyReply, status: number, body: { value: string }) => reply.status(status).type('text/html; charset=utf-8').send(body.value);

/** Sign-in with OpenID Connect (or the demo persona picker), the callback, and sign-out. */
export function registerAuthRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  const byName = new Map(ctx.providers.map((p) => [p.spec.name, p]));

  /** A session without a person, for the persona form's CSRF token. */
  async function anonymousSession(req: FastifyRequest, reply: FastifyReply) {
    if (req.wl.session) return req.wl.session;
    const s = await ctx.sessions.create(ctx.clock.now());
    setSessionCookie(reply, ctx.cookie, s.id);
    req.wl.session = s;
    return s;
  }

  app.get('/auth/sign-in', async (req, reply) => {
    const returnTo = safeReturn((req.query as Record<string, unknown>).returnTo);
    if (req.wl.person) return reply.redirect(returnTo, 303);
    const expired = req.wl.expired ? html`<div class="govuk-inset-text">You were signed out after ${ctx.idleMinutes} minutes without activity.</div>` : html``;
    if (ctx.providers.length) {
      return send(reply, 200, page('Sign in', ctx.chrome(req), html`
        <h1 class="govuk-heading-l">Sign in</h1>${expired}
        <p class="govuk-body">Use your council account. You can see the cases and figures your role allows.</p>
        ${ctx.providers.map((p) => html`<p class="govuk-body"><a href="/auth/login/${p.spec.name}?returnTo=${encodeURIComponent(returnTo)}" role="button" draggable="false" class="govuk-button" data-module="govuk-button">Sign in with ${p.spec.label}</a></p>`)}`));
    }
    if (!ctx.demo) {
      return send(reply, 503, page('Sign-in is not set up', ctx.chrome(req), html`
        <h1 class="govuk-heading-l">Sign-in is not set up</h1>
        <p class="govuk-body">An administrator needs to set OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and PUBLIC_URL (or Sign in with Slack) before the tracker can be used.</p>`));
    }
    const session = await anonymousSession(req, reply);
    const people = (await ctx.loadContext()).directory.people.filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name));
    return send(reply, 200, page('Choose who to act as', { ...ctx.chrome(req), csrfToken: session.csrfToken, demo: true }, html`
      <h1 class="govuk-heading-l">Choose who to act as</h1>${expired}
      <form method="post" action="/auth/demo" novalidate>
        <input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="returnTo" value="${returnTo}">
        <div class="govuk-form-group"><label class="govuk-label" for="person">Person from the demo directory</label>
          <select class="govuk-select" id="person" name="person">${people.map((p) => html`<option value="${p.id}">${p.name} (${p.roles.join(', ')})</option>`)}</select></div>
        <button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
      </form>`));
  });

  app.post('/auth/demo', async (req, reply) => {
    if (!ctx.demo || ctx.providers.length) return ctx.showError(reply, req, 404, 'Page not found', 'Demo sign-in is off here.');
    const body = req.body as Record<string, string>;
    const person = (await ctx.loadContext()).directory.byId.get(String(body.person ?? ''));
    if (!person?.active) return ctx.showError(reply, req, 400, 'Choose a person', 'Pick someone from the list.');
    await signInAs(req, reply, person.id, 'demo');
    return reply.redirect(safeReturn(body.returnTo), 303);
  });

  async function signInAs(req: FastifyRequest, reply: FastifyReply, personId: string, method: string) {
    // A fresh id at sign-in, so an id planted before it is worth nothing after.
    if (req.wl.session) await ctx.sessions.remove(req.wl.session.id);
    const s = await ctx.sessions.create(ctx.clock.now(), { personId, method });
    setSessionCookie(reply, ctx.cookie, s.id);
  }

  app.get('/auth/login/:provider', async (req, reply) => {
    const provider = byName.get((req.params as { provider: string }).provider);
    if (!provider) return ctx.showError(reply, req, 404, 'Page not found', 'There is no such way to sign in.');
    let begun;
    try {
      begun = await provider.begin(safeReturn((req.query as Record<string, unknown>).returnTo));
    } catch (e) {
      ctx.logger.warn({ err: e, provider: provider.spec.name }, 'identity provider unreachable');
      return ctx.showError(reply, req, 502, 'Sign-in is unavailable', `${provider.spec.label} did not answer. Try again in a few minutes.`);
    }
    if (req.wl.session) await ctx.sessions.remove(req.wl.session.id);
    const s = await ctx.sessions.create(ctx.clock.now(), { login: begun.login });
    setSessionCookie(reply, ctx.cookie, s.id);
    return reply.redirect(begun.url.href, 303);
  });

  app.get('/auth/callback/:provider', async (req, reply) => {
    const provider = byName.get((req.params as { provider: string }).provider);
    const login = req.wl.session?.login;
    if (!provider || !login || login.provider !== provider.spec.name) {
      return ctx.showError(reply, req, 400, 'Sign-in did not complete', 'This sign-in link has expired or was opened in another browser. Start again from the sign-in page.');
    }
    let email: string | null;
    try {
      const url = new URL(req.url, ctx.publicUrl ?? `http://${req.headers.host}`);
      ({ email } = await provider.finish(url, login));
    } catch (e) {
      ctx.logger.warn({ err: (e as Error).message, provider: provider.spec.name }, 'sign-in callback refused');
      await ctx.sessions.remove(req.wl.session!.id);
      return ctx.showError(reply, req, 400, 'Sign-in did not complete', 'The answer from the identity provider could not be checked. Start again from the sign-in page.');
    }
    const person = email ? (await ctx.loadContext()).directory.byEmail.get(email) : undefined;
    if (!person || !person.active) {
      await ctx.sessions.remove(req.wl.session!.id);
      clearSessionCookie(reply, ctx.cookie);
      ctx.logger.info({ provider: provider.spec.name, known: !!person }, 'sign-in refused: not in the directory');
      return ctx.showError(reply, req, 403, 'You cannot use the Ward Action Tracker yet',
        `${email ?? 'Your account'} is not ${person ? 'active' : ''} in the wardline directory. Ask a wardline administrator to add you (the people list), then sign in again.`.replace('not  in', 'not in'));
    }
    await signInAs(req, reply, person.id, provider.spec.name);
    return reply.redirect(safeReturn(login.returnTo), 303);
  });

  app.post('/auth/sign-out', async (req, reply) => {
    if (req.wl.session) await ctx.sessions.remove(req.wl.session.id);
    clearSessionCookie(reply, ctx.cookie);
    req.wl = { session: null, person: null, expired: false };
    return send(reply, 200, page('Signed out', ctx.chrome(req), html`
      <h1 class="govuk-heading-l">You have signed out</h1>
      <p class="govuk-body"><a class="govuk-link" href="/auth/sign-in">Sign in again</a></p>`));
  });
}
