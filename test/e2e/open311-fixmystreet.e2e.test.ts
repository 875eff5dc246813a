import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientKey, importWardBoundaries } from '../../src/open311/open311-admin.js';
import { workspaceHarness } from '../contract/workspace-harness.js';
import type { ChatHarness, SeenMessage } from '../contract/chat-harness.js';
import { fixture } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const RM = 'rm.waste.erdington@birmingham.example';
let app: TestApp;
let chat: ChatHarness;
let key: string;

beforeAll(async () => {
  app = await startTestApp();
  chat = await workspaceHarness(app);
  const { core } = app.running;
  const catalogue = (await core.loadContext()).index.catalogue;
  await importWardBoundaries(core.dbh.db, { text: readFileSync(fixture('geo/wards-small.geojson'), 'utf8'), source: 'wards-small.geojson', catalogue, actor: 'test', at: new Date() });
  ({ key } = await createClientKey(core.dbh.db, { name: 'FixMyStreet', ratePerMinute: 100, actor: 'test', at: new Date() }));
  core.invalidateContext();
}, 120_000);
afterAll(async () => { await app?.stop(); });

/** What a FixMyStreet installation does: form posts and GETs over HTTP, XML back. */
const fms = {
  post: async (method: string, fields: Record<string, string>) => {
    const res = await fetch(`${app.url}/open311/v2/${method}.xml`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: key, jurisdiction_id: 'birmingham.gov.uk', ...fields }) });
    return { status: res.status, body: await res.text() };
  },
  get: async (method: string, query: Record<string, string>) => (await fetch(`${app.url}/open311/v2/${method}.xml?${new URLSearchParams(query)}`)).text(),
};

const updatesIn = (xml: string) => [...xml.matchAll(/<request_update>\s*<update_id>(\d+)<\/update_id>\s*<service_request_id>(WL-\d+)<\/service_request_id>\s*<status>(\w+)<\/status>\s*<updated_datetime>[^<]+<\/updated_datetime>\s*<description>([^<]*)<\/description>/g)]
  .map((m) => ({ ref: m[2], status: m[3], description: m[4] }));

async function rmCard(reference: string): Promise<SeenMessage> {
  const cards = (await chat.seen(RM, { dm: true })).filter((m) => m.author === null && m.text.includes(reference));
  expect(cards, `the RM's card for ${reference}`).toHaveLength(1);
  return cards[0]!;
}

describe('a FixMyStreet-style client end to end, with the RM working in chat', () => {
  it('posts a report, the RM resolves it in chat, the update comes back through servicerequestupdates, and the resident\'s reply reaches the RM', async () => {
    const since = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const created = await fms.post('requests', {
      service_code: 'waste-enforcement', lat: '52.52', long: '-1.84', description: 'Mattresses dumped by the bus stop',
      email: 'resident@example.org', first_name: 'Ada', last_name: 'Lovelace', phone: '07700 900123',
    });
    expect(created.status).toBe(200);
    const reference = /<service_request_id>(WL-\d{6})<\/service_request_id>/.exec(created.body)![1]!;
    await chat.settle();

    // The RM for waste enforcement in Erdington gets the card in chat, without the resident's details.
    let card = await rmCard(reference);
    expect(card.text).toContain('Mattresses dumped by the bus stop');
    expect(card.text).not.toMatch(/resident@example\.org|Lovelace|07700/);
    await chat.click(RM, card, 'Acknowledge');
    await chat.settle();
    await chat.send(RM, { dm: true }, 'Crew booked for Thursday.', { thread: card.ref });
    await chat.settle();
    card = await rmCard(reference);
    await chat.click(RM, card, 'Resolve', 'Cleared this morning.');
    await chat.settle();

    const updates = updatesIn(await fms.get('servicerequestupdates', { api_key: key, start_date: since, jurisdiction_id: 'birmingham.gov.uk' }));
    expect(updates).toEqual([
      { ref: reference, status: 'INVESTIGATING', description: 'The council has picked this up.' },
      { ref: reference, status: 'IN_PROGRESS', description: 'Crew booked for Thursday.' },
      { ref: reference, status: 'FIXED', description: 'Cleared this morning.' },
    ]);
    expect(await fms.get(`requests/${reference}`, {})).toContain('<status>closed</status>');

    // The resident says it is back: FixMyStreet posts an OPEN update; the RM sees it in the card's thread and the case reopens.
    const reply = await fms.post('servicerequestupdates', {
      service_request_id: reference, update_id: 'fms-501', status: 'OPEN', description: 'They are back again', updated_datetime: new Date().toISOString(),
      email: 'resident@example.org', first_name: 'Ada', last_name: 'Lovelace',
    });
    expect(reply.body).toMatch(/<service_request_updates>\n {2}<request_update>\n {4}<update_id>\d+<\/update_id>/);
    await chat.settle();
    const thread = (await chat.seen(RM, { dm: true }, { thread: card.ref })).map((m) => m.text);
    expect(thread.some((t) => t.includes('They are back again'))).toBe(true);
    expect(thread.join('\n')).not.toMatch(/Lovelace|resident@example/);
    expect((await rmCard(reference)).statuses).toEqual(['Reopened']);
    expect(await fms.get(`requests/${reference}`, {})).toContain('<status>open</status>');
    // The resident's own update is not sent back to FixMyStreet as the council's.
    expect(updatesIn(await fms.get('servicerequestupdates', { api_key: key, start_date: since }))).toHaveLength(3);
  }, 120_000);
});
