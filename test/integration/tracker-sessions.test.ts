import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/shared/clock.js';
import { trackerDepsFromCore } from '../../src/web/tracker/mount.js';
import { registerTracker } from '../../src/web/tracker/tracker.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

let app: TestApp;
let web: FastifyInstance;
const clock = new FixedClock('2026-11-04T10:00:00Z');

beforeAll(async () => {
  app = await startTestApp({ clock });
  web = Fastify();
  await web.register((i) => registerTracker(i, { ...trackerDepsFromCore(app.running.core), demo: true, providers: [] }));
}, 120_000);
afterAll(async () => {
  await web?.close();
  await app?.stop();
});

const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie'] ?? '').split(';')[0]!;
const csrfIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!;

async function signInAs(email: string) {
  const form = await web.inject({ method: 'GET', url: '/auth/sign-in' });
  expect(form.body).toContain('Demo sign-in: no identity provider is configured');
  const cookie = cookieOf(form);
  const person = (await app.running.core.loadContext()).directory.byEmail.get(email)!;
  const res = await web.inject({ method: 'POST', url: '/auth/demo', headers: { cookie }, payload: { _csrf: csrfIn(form.body), person: person.id, returnTo: '/cases' } });
  expect(res.statusCode).toBe(303);
  const session = cookieOf(res);
  expect(session).not.toBe(cookie);
  expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
  return session;
}

describe('tracker sessions', () => {
  it('sends people who are not signed in to the sign-in page', async () => {
    const res = await web.inject({ method: 'GET', url: '/cases?status=open' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/auth/sign-in?returnTo=%2Fcases%3Fstatus%3Dopen');
  });

  it('refuses a POST without the session\'s CSRF token and changes nothing', async () => {
    const cookie = await signInAs('cllr.hussain@birmingham.example');
    const res = await web.inject({ method: 'POST', url: '/auth/sign-out', headers: { cookie }, payload: { _csrf: 'forged' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
    expect((await web.inject({ method: 'GET', url: '/cases', headers: { cookie } })).statusCode).toBe(200);
  });

  it('signs out, and ends a session after the idle timeout', async () => {
    const cookie = await signInAs('wac.north@birmingham.example');
    const page = await web.inject({ method: 'GET', url: '/cases', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const out = await web.inject({ method: 'POST', url: '/auth/sign-out', headers: { cookie }, payload: { _csrf: csrfIn(page.body) } });
    expect(out.body).toContain('You have signed out');
    expect((await web.inject({ method: 'GET', url: '/cases', headers: { cookie } })).statusCode).toBe(303);

    const again = await signInAs('wac.north@birmingham.example');
    clock.advance(31 * 60_000);
    const idle = await web.inject({ method: 'GET', url: '/cases', headers: { cookie: again } });
    expect(idle.statusCode).toBe(303);
    const signIn = await web.inject({ method: 'GET', url: idle.headers.location as string });
    expect(signIn.body).not.toContain('Signed in as');
  });
});
