import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

let app: TestApp;
let web: FastifyInstance;
const clock = new FixedClock('2026-11-04T10:00:00Z');

beforeAll(async () => {
  // The tracker as the process serves it: through the front door, with demo sign-in (loopback, workspace on).
  app = await startTestApp({ clock });
  web = app.running.web!.app;
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie'] ?? '').split(';')[0]!;
const csrfIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!;
/** A POST as a browser sends the tracker's forms. */
const postForm = (url: string, cookie: string, fields: Record<string, string>) => web.inject({
  method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString(),
});

async function signInAs(email: string) {
  const form = await web.inject({ method: 'GET', url: '/auth/sign-in' });
  expect(form.body).toContain('Demo sign-in: no identity provider is configured');
  const cookie = cookieOf(form);
  const person = (await app.running.core.loadContext()).directory.byEmail.get(email)!;
  const res = await postForm('/auth/demo', cookie, { _csrf: csrfIn(form.body), person: person.id, returnTo: '/cases' });
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
    const res = await postForm('/auth/sign-out', cookie, { _csrf: 'forged' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
    expect((await web.inject({ method: 'GET', url: '/cases', headers: { cookie } })).statusCode).toBe(200);
  });

  it('signs out, and ends a session after the idle timeout', async () => {
    const cookie = await signInAs('wac.north@birmingham.example');
    const page = await web.inject({ method: 'GET', url: '/cases', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const out = await postForm('/auth/sign-out', cookie, { _csrf: csrfIn(page.body) });
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

describe('"my cases" in chat for the people who oversee wards and services', () => {
  it('lists a WAC\'s and a manager\'s open cases by the same rights as the web, and withholds a restricted case\'s words', async () => {
    const ctx = await app.running.core.loadContext();
    const id = (email: string) => ctx.directory.byEmail.get(email)!.id;
    const opened = await app.running.core.cases.openCase(id('cllr.hussain@birmingham.example') as never, {
      serviceId: 'waste-enforcement' as never, wardId: 'erdington' as never, urgent: false, summary: 'Fly-tipping on Slade Road', description: 'Fly-tipping on Slade Road',
    });
    const housing = await app.running.core.cases.openCase(id('cllr.hussain@birmingham.example') as never, {
      serviceId: 'housing-management' as never, wardId: 'erdington' as never, urgent: false, summary: 'Damp flat on Reservoir Road', description: 'Damp flat on Reservoir Road',
    });
    const ask = async (email: string, text: string) => {
      const me = id(email);
      await fetch(`${app.url}/api/workspace/channels/dm-${me}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: me, text }) });
      await app.settle();
      const dm = await (await fetch(`${app.url}/api/workspace/channels/dm-${me}/messages?as=${me}`)).json() as { messages: { text: string; author: unknown }[] };
      return dm.messages.filter((m) => m.author === null).map((m) => m.text).join('\n');
    };
    const wac = await ask('wac.north@birmingham.example', 'my cases');
    expect(wac).toContain('Open cases in your wards and services');
    expect(wac).toContain(opened.reference);
    expect(await ask('mgr.streets@birmingham.example', 'my cases')).toContain(opened.reference);
    const ward = await ask('cllr.whitfield@birmingham.example', `case ${housing.reference}`);
    expect(ward).toContain('Restricted service: details are shown only to the people working on it.');
    expect(ward).not.toContain('Damp flat');
  });
});
