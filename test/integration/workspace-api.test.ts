import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

let app: TestApp;
let cllr: string;
let rm: string;

beforeAll(async () => {
  app = await startTestApp();
  const ctx = await app.running.core.loadContext();
  cllr = ctx.directory.byEmail.get('cllr.hussain@birmingham.example')!.id;
  rm = ctx.directory.byEmail.get('rm.waste.erdington@birmingham.example')!.id;
}, 120_000);
afterAll(async () => { await app?.stop(); });

const post = (path: string, body: string) => fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the workspace API with bad input', () => {
  it('answers malformed JSON and missing fields with what to send', async () => {
    const bad = await post(`/api/workspace/channels/dm-${cllr}/messages`, '{"as":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_json', message: 'The body is not JSON; send {"as": "<person id>", ...}.' });
    const empty = await post(`/api/workspace/channels/dm-${cllr}/messages`, JSON.stringify({ as: cllr, text: '' }));
    expect(empty.status).toBe(422);
    expect((await empty.json()).message).toBe('text: Write something first.');
  });

  it('refuses unknown personas, other people\'s DMs and threads from elsewhere', async () => {
    const stranger = await post(`/api/workspace/channels/general/messages`, JSON.stringify({ as: '00000000-0000-4000-8000-000000000000', text: 'hi' }));
    expect(stranger.status).toBe(403);
    const peek = await fetch(`${app.url}/api/workspace/channels/dm-${rm}/messages?as=${cllr}`);
    expect(peek.status).toBe(404);
    const sent = await (await post(`/api/workspace/channels/dm-${cllr}/messages`, JSON.stringify({ as: cllr, text: 'hello' }))).json();
    const cross = await post('/api/workspace/channels/general/messages', JSON.stringify({ as: cllr, text: 'x', threadId: sent.messageId }));
    expect(cross.status).toBe(404);
    expect((await cross.json()).error).toBe('no_thread');
  });

  it('refuses a body over the limit without reading it all', async () => {
    const huge = await post(`/api/workspace/channels/dm-${cllr}/messages`, JSON.stringify({ as: cllr, text: 'x'.repeat(1_200_000) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).message).toMatch(/over 1000000 bytes/);
  });

  it('answers a button on a message that does not exist, or with a forged value, without changing anything', async () => {
    const gone = await post('/api/workspace/actions', JSON.stringify({ as: rm, messageId: '999999', actionId: 'case.acknowledge', value: 'x' }));
    expect(gone.status).toBe(404);
    const sent = await (await post(`/api/workspace/channels/dm-${rm}/messages`, JSON.stringify({ as: rm, text: 'hello' }))).json();
    const forged = await (await post('/api/workspace/actions', JSON.stringify({ as: rm, messageId: sent.messageId, actionId: 'case.acknowledge', value: 'not-a-case' }))).json();
    expect(forged.ephemeral).toBe('That button is not one wardline recognises any more; use the newest card.');
  });

  it('streams live changes to the page', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${app.url}/api/workspace/events`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // the retry hint
    await post(`/api/workspace/channels/dm-${cllr}/messages`, JSON.stringify({ as: cllr, text: 'help' }));
    let text = '';
    while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain(`"channelId":"dm-${cllr}"`);
    ctrl.abort();
  });

  it('serves the page with the demo warning and a content security policy', async () => {
    const page = await fetch(`${app.url}/workspace`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Demo and test workspace.');
  });
});
