import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientKey, revokeClientKey } from '../../src/open311/open311-admin.js';
import { asCaseId, asPersonId } from '../../src/shared/ids.js';
import { form, FORM, startOpen311App, type Open311TestApp } from '../support/open311-app.js';

let t: Open311TestApp;
beforeAll(async () => { t = await startOpen311App(); }, 60_000);
afterAll(async () => { await t?.close(); });

const rows = async <T>(q: ReturnType<typeof sql>) => (await t.core.dbh.db.execute(q)) as unknown as T[];
const post = (path: string, fields: Record<string, string>) => t.app.inject({ method: 'POST', url: `/open311/v2/${path}`, headers: FORM, payload: form(fields) });

describe('a FixMyStreet installation talking to wardline', () => {
  it('sends a report, receives the RM\'s updates and resolution, and sends a resident\'s update the RM sees', async () => {
    const since = new Date(t.core.clock.now().getTime() - 1000).toISOString();
    const created = await post('requests.xml', {
      api_key: t.key, service_code: 'waste-enforcement', lat: '52.52', long: '-1.84', description: 'Mattresses dumped by the bus stop',
      email: 'resident@example.org', first_name: 'Ada', last_name: 'Lovelace',
    });
    const ref = /<service_request_id>(WL-\d+)<\/service_request_id>/.exec(created.body)![1]!;
    const [c] = await rows<{ id: string }>(sql`select id from cases where seq = ${Number(ref.slice(3))}`);
    const caseId = asCaseId(c!.id);
    const rm = asPersonId(t.people.get('rm.ward@birmingham.example')!.id);

    await t.core.cases.acknowledge(caseId, rm);
    await t.core.cases.addUpdate(caseId, rm, 'Crew booked for Thursday.');
    await t.core.cases.resolve(caseId, rm, 'Cleared this morning.');

    const xml = (await t.app.inject({ url: `/open311/v2/servicerequestupdates.xml?api_key=${t.key}&start_date=${since}&jurisdiction_id=birmingham.gov.uk` })).body;
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_request_updates>\n  <request_update>\n    <update_id>')).toBe(true);
    const updates = [...xml.matchAll(/<request_update>\n\s*<update_id>(\d+)<\/update_id>\n\s*<service_request_id>(WL-\d+)<\/service_request_id>\n\s*<status>(\w+)<\/status>\n\s*<updated_datetime>[^<]+<\/updated_datetime>\n\s*<description>([^<]*)<\/description>\n\s*<media_url><\/media_url>\n\s*<\/request_update>/g)]
      .map((m) => ({ ref: m[2], status: m[3], description: m[4] }));
    expect(updates).toEqual([
      { ref, status: 'INVESTIGATING', description: 'The council has picked this up.' },
      { ref, status: 'IN_PROGRESS', description: 'Crew booked for Thursday.' },
      { ref, status: 'FIXED', description: 'Cleared this morning.' },
    ]);

    const json = (await t.app.inject({ url: `/open311/v2/servicerequestupdates.json?api_key=${t.key}&start_date=${since}` })).json() as Record<string, unknown>[];
    expect(json.map((u) => u.status)).toEqual(['INVESTIGATING', 'IN_PROGRESS', 'FIXED']);

    // The resident says it is back: FixMyStreet posts an OPEN update; the resolved case reopens and the RM is told in the card's thread.
    const fields = { api_key: t.key, service_request_id: ref, update_id: 'fms-77', status: 'OPEN', description: 'They are back again', updated_datetime: new Date().toISOString(), email: 'resident@example.org', first_name: 'Ada', last_name: 'Lovelace' };
    const posted = await post('servicerequestupdates.xml', fields);
    expect(posted.statusCode).toBe(200);
    const updateId = /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_request_updates>\n {2}<request_update>\n {4}<update_id>(\d+)<\/update_id>\n {2}<\/request_update>\n<\/service_request_updates>\n$/.exec(posted.body)![1];
    const events = await rows<{ id: number; type: string; data: { text?: string } }>(sql`select id::int as id, type, data from case_events where case_id = ${caseId} order by id`);
    expect(events.at(-1)).toMatchObject({ id: Number(updateId), type: 'reopened', data: { text: 'They are back again' } });
    const [status] = await rows<{ status: string }>(sql`select status from cases where id = ${caseId}`);
    expect(status!.status).toBe('reopened');
    const mirrored = await rows<{ target: string; payload: unknown }>(sql`select target, payload from outbox where case_id = ${caseId} and idempotency_key like ${`mirror:${updateId}%`}`);
    expect(mirrored.length).toBe(1);
    expect(JSON.stringify(mirrored[0]!.payload)).toContain('They are back again');
    expect(JSON.stringify(mirrored[0]!.payload)).not.toContain('Lovelace');

    // A retry of the same update makes no second event; the resident's own update is not sent back.
    const again = await post('servicerequestupdates.json', fields);
    expect(again.json()).toEqual([{ update_id: updateId }]);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from case_events where case_id = ${caseId}`))[0]!.n).toBe(events.length);
    const after = (await t.app.inject({ url: `/open311/v2/servicerequestupdates.json?api_key=${t.key}&start_date=${since}` })).json() as unknown[];
    expect(after).toHaveLength(3);
  });

  it('refuses updates for another client\'s request or without a key', async () => {
    const other = await createClientKey(t.core.dbh.db, { name: 'Other client', ratePerMinute: 100, actor: 'test', at: new Date() });
    const created = await post('requests.json', { api_key: t.key, service_code: 'street-cleaning', address_string: 'Slade Road, Erdington', description: 'Litter' });
    const ref = created.json()[0].service_request_id as string;
    const foreign = await post('servicerequestupdates.json', { api_key: other.key, service_request_id: ref, update_id: '1', status: 'OPEN', description: 'x' });
    expect(foreign.statusCode).toBe(404);
    const keyless = await t.app.inject({ url: '/open311/v2/servicerequestupdates.xml' });
    expect(keyless.statusCode).toBe(403);
    expect(keyless.body).toContain('<description>Invalid api_key received -- can\'t proceed with get_service_request_updates.</description>');
    await revokeClientKey(t.core.dbh.db, { name: 'Other client', actor: 'test', at: new Date() });
    expect((await post('requests.json', { api_key: other.key, service_code: 'street-cleaning', address_string: 'Erdington' })).statusCode).toBe(403);
  });

  it('limits each key to its requests a minute, answering 429 with the error list', async () => {
    const limited = await createClientKey(t.core.dbh.db, { name: 'Busy client', ratePerMinute: 2, actor: 'test', at: new Date() });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await post('requests.json', { api_key: limited.key, service_code: 'street-cleaning', address_string: 'Erdington', description: `n${i}` })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const last = await post('requests.json', { api_key: limited.key, service_code: 'street-cleaning', address_string: 'Erdington' });
    expect(last.json()[0]).toMatchObject({ code: 429 });
    expect((await post('requests.json', { api_key: t.key, service_code: 'street-cleaning', address_string: 'Erdington' })).statusCode).toBe(200);
  });
});
