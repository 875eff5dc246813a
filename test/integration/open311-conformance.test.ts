import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceStreets } from '../../src/db/streets-repo.js';
import { form, FORM, startOpen311App, type Open311TestApp } from '../support/open311-app.js';

let t: Open311TestApp;
beforeAll(async () => { t = await startOpen311App(); }, 60_000);
afterAll(async () => { await t?.close(); });

const rows = async <T>(q: ReturnType<typeof sql>) => (await t.core.dbh.db.execute(q)) as unknown as T[];

/** The specification's own POST example, with our service code, jurisdiction and a point in Erdington. */
const specExample = (over: Record<string, string> = {}) => ({
  api_key: t.key, jurisdiction_id: 'birmingham.gov.uk', service_code: 'waste-enforcement', lat: '52.525', long: '-1.835',
  address_string: '1234 5th street', email: 'smit333@sfgov.edu', device_id: 'tt222111', account_id: '123456', first_name: 'john',
  last_name: 'smith', phone: '111111111', description: 'A large sinkhole is destroying the street',
  media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg', 'attribute[WHISPAWN]': '123456', 'attribute[WHISDORN]': 'COISL001', ...over,
});

async function post(format: 'xml' | 'json', fields: Record<string, string>, path = 'requests') {
  return t.app.inject({ method: 'POST', url: `/open311/v2/${path}.${format}`, headers: FORM, payload: form(fields) });
}

describe('GeoReport v2 discovery and services', () => {
  it('describes the endpoint in both formats', async () => {
    const xml = await t.app.inject({ url: '/open311/v2/discovery.xml' });
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery>\n {2}<changeset>[^<]+<\/changeset>\n {2}<contact>/);
    expect(xml.body).toContain('<endpoints>\n    <endpoint>\n      <specification>http://wiki.open311.org/GeoReport_v2</specification>\n      <url>http://localhost:80/open311/v2</url>');
    expect(xml.body).toContain('<formats>\n        <format>text/xml</format>\n        <format>application/json</format>\n      </formats>');
    const json = (await t.app.inject({ url: '/open311/v2/discovery.json' })).json();
    expect(json.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] });
  });

  it('lists the catalogue\'s services in the example\'s fields and order, restricted services left out', async () => {
    const xml = (await t.app.inject({ url: '/open311/v2/services.xml?jurisdiction_id=birmingham.gov.uk' })).body;
    const first = /<service>\n([\s\S]*?)\n {2}<\/service>/.exec(xml)![1]!;
    expect(first.split('\n').map((l) => /<(\w+)>/.exec(l)![1])).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    const json = (await t.app.inject({ url: '/open311/v2/services.json' })).json() as Record<string, unknown>[];
    const codes = json.map((s) => s.service_code);
    expect(codes).toContain('waste-enforcement');
    expect(codes).not.toContain('housing-management');
    expect(json.find((s) => s.service_code === 'waste-enforcement')).toMatchObject({ metadata: false, type: 'realtime' });
    const keywords = String(json.find((s) => s.service_code === 'waste-enforcement')!.keywords).split(', ');
    expect(keywords).toEqual(expect.arrayContaining(['fly-tipping', 'fly-tip', 'waste enforcement']));
    expect(keywords.filter((k) => /^[=~]|\*$/.test(k))).toEqual([]);
    expect(new Set(keywords.map((k) => k.toLowerCase())).size).toBe(keywords.length);
    expect(Object.keys(json[0]!)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
  });

  it('gives each service\'s definition, and 404 in the error list for an unknown code', async () => {
    const xml = (await t.app.inject({ url: '/open311/v2/services/waste-enforcement.xml' })).body;
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\n<service_definition>\n  <service_code>waste-enforcement</service_code>\n  <attributes></attributes>\n</service_definition>\n');
    expect((await t.app.inject({ url: '/open311/v2/services/waste-enforcement.json' })).json()).toEqual({ service_code: 'waste-enforcement', attributes: [] });
    const missing = await t.app.inject({ url: '/open311/v2/services/DMV66.xml' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>404</code>\n    <description>service_code DMV66 was not found.</description>\n  </error>\n</errors>\n');
    const wrongJurisdiction = await t.app.inject({ url: '/open311/v2/services.json?jurisdiction_id=city.gov' });
    expect(wrongJurisdiction.statusCode).toBe(404);
    expect(wrongJurisdiction.json()).toEqual([{ code: 404, description: 'jurisdiction_id city.gov was not found; this endpoint serves birmingham.gov.uk.' }]);
  });
});

describe('GeoReport v2 requests', () => {
  let xmlId = '';
  it('creates a request from the specification\'s example (XML), routed to the ward\'s RM with the reporter kept apart', async () => {
    const res = await post('xml', specExample());
    expect(res.statusCode).toBe(200);
    const m = /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_requests>\n {2}<request>\n {4}<service_request_id>(WL-\d{6})<\/service_request_id>\n {4}<service_notice>[^<]+<\/service_notice>\n {4}<account_id\/>\n {2}<\/request>\n<\/service_requests>\n$/.exec(res.body);
    expect(m, res.body).not.toBeNull();
    xmlId = m![1]!;
    const [c] = await rows<{ id: string; ward_id: string; status: string; assignee_id: string; description: string }>(sql`select id, ward_id, status, assignee_id, description from cases where seq = ${Number(xmlId.slice(3))}`);
    expect(c).toMatchObject({ ward_id: 'erdington', status: 'routed', assignee_id: t.people.get('rm.ward@birmingham.example')!.id });
    expect(c!.description).toBe('A large sinkhole is destroying the street');
    const [r] = await rows<Record<string, unknown>>(sql`select * from open311_requests where case_id = ${c!.id}`);
    expect(r).toMatchObject({ email: 'smit333@sfgov.edu', first_name: 'john', last_name: 'smith', phone: '111111111', attributes: { WHISPAWN: '123456', WHISDORN: 'COISL001' } });
    const outbox = await rows<{ payload: unknown }>(sql`select payload from outbox where case_id = ${c!.id}`);
    expect(outbox.some((o) => JSON.stringify(o.payload).includes('"rm_card"'))).toBe(true);
    expect(JSON.stringify(outbox)).not.toMatch(/smit333|111111111|smith/);
  });

  it('creates a request in JSON and shows it in both formats', async () => {
    const res = await post('json', specExample({ email: 'j@example.org' }));
    const [created] = res.json() as { service_request_id: string; service_notice: string; account_id: null }[];
    expect(Object.keys(created!)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    const one = (await t.app.inject({ url: `/open311/v2/requests/${created!.service_request_id}.json` })).json() as Record<string, unknown>[];
    expect(Object.keys(one[0]!)).toEqual(['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
      'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url']);
    expect(one[0]).toMatchObject({ status: 'open', service_code: 'waste-enforcement', lat: 52.525, long: -1.835, address: '1234 5th street' });
    expect(JSON.stringify(one)).not.toMatch(/j@example\.org|smith|111111111/);
    const xml = (await t.app.inject({ url: `/open311/v2/requests/${xmlId}.xml` })).body;
    expect(xml).toContain(`<service_requests>\n  <request>\n    <service_request_id>${xmlId}</service_request_id>\n    <status>open</status>\n    <status_notes/>`);
    expect(xml).toMatch(/<requested_datetime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/requested_datetime>/);
  });

  it('filters requests by id, service code, dates and status', async () => {
    const byIds = (await t.app.inject({ url: `/open311/v2/requests.json?service_request_id=${xmlId},WL-999999` })).json() as { service_request_id: string }[];
    expect(byIds.map((r) => r.service_request_id)).toEqual([xmlId]);
    expect((await t.app.inject({ url: '/open311/v2/requests.json?service_code=street-cleaning' })).json()).toEqual([]);
    const listXml = (await t.app.inject({ url: `/open311/v2/requests.xml?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z&status=open&jurisdiction_id=birmingham.gov.uk&service_request_id=${xmlId}` })).body;
    const request = /<service_requests>\n {2}<request>\n([\s\S]*?)\n {2}<\/request>\n<\/service_requests>/.exec(listXml)![1]!;
    expect(request.split('\n').map((l) => /<(\w+)\/?>/.exec(l)![1])).toEqual(['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible',
      'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url']);
    expect(request).toContain('<lat>52.525</lat>\n    <long>-1.835</long>\n    <media_url/>');
    expect(((await t.app.inject({ url: '/open311/v2/requests.json?service_code=waste-enforcement&status=open' })).json() as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect((await t.app.inject({ url: '/open311/v2/requests.json?status=closed' })).json()).toEqual([]);
    expect((await t.app.inject({ url: '/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z' })).json()).toEqual([]);
    const span = await t.app.inject({ url: '/open311/v2/requests.xml?start_date=2010-01-01T00:00:00Z&end_date=2010-06-01T00:00:00Z' });
    expect(span.statusCode).toBe(400);
    expect(span.body).toContain('<code>400</code>');
    expect((await t.app.inject({ url: '/open311/v2/requests.json?status=pending' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/open311/v2/requests/WL-999999.json' })).statusCode).toBe(404);
  });

  it('places an address through the ward finder, and sends what it cannot place to triage rather than refusing it', async () => {
    const byAddress = (await post('json', specExample({ lat: '', long: '', address_string: 'Slade Road, Erdington' }))).json()[0].service_request_id as string;
    const outside = (await post('json', specExample({ lat: '51.5', long: '-0.12', address_string: '' }))).json()[0].service_request_id as string;
    const unplaceable = (await post('json', specExample({ lat: '', long: '', address_string: '', address_id: '545483' }))).json()[0].service_request_id as string;
    const get = async (ref: string) => (await rows<{ ward_id: string | null; status: string; assignee_id: string }>(sql`select ward_id, status, assignee_id from cases where seq = ${Number(ref.slice(3))}`))[0]!;
    expect(await get(byAddress)).toMatchObject({ ward_id: 'erdington', status: 'routed' });
    const admin = t.people.get('admin@birmingham.example')!.id;
    expect(await get(outside)).toEqual({ ward_id: null, status: 'new', assignee_id: admin });
    expect(await get(unplaceable)).toEqual({ ward_id: null, status: 'new', assignee_id: admin });
  });
});

describe('GeoReport v2 addresses through the street gazetteer', () => {
  it('places an address_string by a street the gazetteer puts in one ward, and sends a street in several wards to triage', async () => {
    await replaceStreets(t.core.dbh.db, [
      { street: 'Gravelly Lane', wardId: 'erdington', postcodeDistrict: 'B23' },
      { street: 'Long Road', wardId: 'erdington', postcodeDistrict: '' }, { street: 'Long Road', wardId: 'kingstanding', postcodeDistrict: '' },
    ]);
    t.core.invalidateContext();
    const placed = async (address: string) => {
      const ref = (await post('json', specExample({ lat: '', long: '', address_string: address }))).json()[0].service_request_id as string;
      return (await rows<{ ward_id: string | null }>(sql`select ward_id from cases where seq = ${Number(ref.slice(3))}`))[0]!.ward_id;
    };
    expect(await placed('14 Gravelly Ln')).toBe('erdington');
    expect(await placed('200 Long Road')).toBeNull();
  });
});

describe('GeoReport v2 bad input', () => {
  it('refuses a wrong, missing or revoked api_key with 403 and the specification\'s error list', async () => {
    const xml = await post('xml', specExample({ api_key: 'xyz' }));
    expect(xml.statusCode).toBe(403);
    expect(xml.body).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>403</code>\n    <description>Invalid api_key received -- can\'t proceed with create_request.</description>\n  </error>\n</errors>\n');
    const json = await post('json', { ...specExample(), api_key: '' });
    expect(json.statusCode).toBe(403);
    expect(json.json()).toEqual([{ code: 403, description: 'Invalid api_key received -- can\'t proceed with create_request.' }]);
  });

  it.each([
    ['no service_code', { service_code: '' }, 400, 'service_code was not provided.'],
    ['an unknown service_code', { service_code: '001' }, 404, 'service_code 001 was not found.'],
    ['a restricted service', { service_code: 'housing-management' }, 404, 'service_code housing-management was not found.'],
    ['no location', { lat: '', long: '', address_string: '' }, 400, 'A full location parameter must be submitted: lat and long, address_string or address_id.'],
    ['lat without long', { long: '' }, 400, 'lat and long must both be sent.'],
    ['a latitude out of range', { lat: '95' }, 400, 'lat must be a WGS84 latitude between -90 and 90.'],
    ['a latitude that is not a number', { lat: '52.5; drop table cases' }, 400, 'lat must be a WGS84 latitude between -90 and 90.'],
    ['an over-long description', { description: 'x'.repeat(4001) }, 400, 'description is longer than 4000 characters.'],
    ['a bad email', { email: 'not-an-email' }, 400, 'email is not an email address.'],
    ['another jurisdiction', { jurisdiction_id: 'city.gov' }, 404, 'jurisdiction_id city.gov was not found; this endpoint serves birmingham.gov.uk.'],
  ])('refuses %s', async (_name, over, status, description) => {
    const before = (await rows<{ n: number }>(sql`select count(*)::int as n from cases`))[0]!.n;
    const res = await post('json', specExample(over as Record<string, string>));
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual([{ code: status, description }]);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from cases`))[0]!.n).toBe(before);
  });

  it('answers malformed bodies and unknown methods with the error list, never a stack trace', async () => {
    const badJson = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/json' }, payload: '{"api_key":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).toContain('<errors>');
    const nested = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ api_key: { $ne: null } }) });
    expect(nested.statusCode).toBe(400);
    const xmlBody = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(xmlBody.statusCode).toBe(400);
    expect(xmlBody.json()[0].code).toBe(400);
    expect((await t.app.inject({ url: '/open311/v2/services.csv' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/open311/v2/widgets/1.json' })).json()).toEqual([{ code: 404, description: 'There is no such Open311 method.' }]);
    const elsewhere = await t.app.inject({ url: '/not-open311.json' });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.body).not.toContain('Open311');
    const repeated = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: FORM, payload: `${form(specExample())}&service_code=street-cleaning` });
    expect(repeated.json()).toEqual([{ code: 400, description: 'service_code was given more than once.' }]);
  });

  it('keeps injection attempts as plain text: escaped in XML, bound as parameters in SQL', async () => {
    const nasty = `'); drop table cases; -- </description><status>closed</status> & "quotes" <![CDATA[x]]>\u0001`;
    const res = await post('json', specExample({ description: nasty, address_string: '<script>alert(1)</script>' }));
    const id = res.json()[0].service_request_id as string;
    const xml = (await t.app.inject({ url: `/open311/v2/requests/${id}.xml` })).body;
    expect(xml).toContain('<description>\'); drop table cases; -- &lt;/description&gt;&lt;status&gt;closed&lt;/status&gt; &amp; "quotes" &lt;![CDATA[x]]&gt;</description>');
    expect(xml).toContain('<address>&lt;script&gt;alert(1)&lt;/script&gt;</address>');
    expect(xml.match(/<status>/g)).toHaveLength(1);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from cases`))[0]!.n).toBeGreaterThan(0);
  });
});

describe('GeoReport v2 writes are whole or nothing', () => {
  const counts = async () => (await rows<{ cases: number; events: number; outbox: number; requests: number; updates: number }>(sql`select
    (select count(*)::int from cases) as cases, (select count(*)::int from case_events) as events, (select count(*)::int from outbox) as outbox,
    (select count(*)::int from open311_requests) as requests, (select count(*)::int from open311_inbound_updates) as updates`))[0]!;

  /** A real failure of the second write: the database refuses rows of `table` until the returned undo runs. */
  async function refuseInserts(table: 'open311_requests' | 'open311_inbound_updates'): Promise<() => Promise<void>> {
    const db = t.core.dbh.db;
    await db.execute(sql.raw(`create or replace function test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`));
    await db.execute(sql.raw(`create trigger test_refuse before insert on ${table} for each row execute function test_refuse()`));
    return async () => { await db.execute(sql.raw(`drop trigger test_refuse on ${table}; drop function test_refuse()`)); };
  }

  it('leaves neither the case nor its reporter\'s details when storing the details fails, and skips no reference', async () => {
    const before = await counts();
    const undo = await refuseInserts('open311_requests');
    try {
      const res = await post('xml', specExample({ description: 'Refused half-way' }));
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('<code>500</code>');
      expect(res.body).not.toMatch(/refused by the test|\n\s+at /);
      expect(await counts()).toEqual(before);
    } finally {
      await undo();
    }
    const [last] = await rows<{ seq: number }>(sql`select max(seq)::int as seq from cases`);
    const ok = (await post('json', specExample())).json()[0].service_request_id as string;
    expect(Number(ok.slice(3))).toBe(last!.seq + 1);
    expect((await counts()).requests).toBe(before.requests + 1);
  });

  it('leaves no update on the case when recording who sent it fails', async () => {
    const ref = (await post('json', specExample())).json()[0].service_request_id as string;
    const before = await counts();
    const undo = await refuseInserts('open311_inbound_updates');
    const update = { api_key: t.key, service_request_id: ref, update_id: 'u-refused', description: 'Still there', email: 'r@example.org' };
    try {
      expect((await post('json', update, 'servicerequestupdates')).statusCode).toBe(500);
      expect(await counts()).toEqual(before);
    } finally {
      await undo();
    }
    expect((await post('json', update, 'servicerequestupdates')).statusCode).toBe(200);
    expect(await counts()).toMatchObject({ events: before.events + 1, updates: before.updates + 1 });
  });
});

/** The element names directly inside the first `<item>` of an XML document, in order. */
function firstItemFields(xml: string, item: string): string[] {
  const m = new RegExp(`\\n( *)<${item}>\\n([\\s\\S]*?)\\n\\1</${item}>`).exec(xml);
  if (!m) return [];
  const depth = m[1]!.length + 2;
  return m[2]!.split('\n').filter((l) => l.length - l.trimStart().length === depth && /^<\w/.test(l.trimStart())).map((l) => /^<(\w+)/.exec(l.trimStart())![1]!);
}

describe('every GeoReport v2 method, with the specification\'s example requests, in both formats', () => {
  // The specification's example addresses, with this endpoint's jurisdiction and a catalogue service code.
  const methods: { name: string; method?: 'POST'; path: string; fields?: () => Record<string, string>; root: string; item: string | null; status?: number }[] = [
    { name: 'service discovery', path: 'discovery', root: 'discovery', item: 'endpoint' },
    { name: 'GET service list', path: 'services', root: 'services', item: 'service' },
    { name: 'GET service definition', path: 'services/waste-enforcement', root: 'service_definition', item: null },
    { name: 'POST service request', method: 'POST', path: 'requests', fields: () => specExample(), root: 'service_requests', item: 'request' },
    { name: 'GET service_request_id from a token', path: 'tokens/123456', root: 'errors', item: 'error', status: 404 },
    { name: 'GET service requests', path: 'requests', root: 'service_requests', item: 'request' },
    { name: 'GET service requests (the example\'s filters)', path: 'requests?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open', root: 'service_requests', item: null },
    { name: 'GET service request', path: 'requests/WL-000001?jurisdiction_id=birmingham.gov.uk', root: 'service_requests', item: 'request' },
    { name: 'GET service request updates (FixMyStreet)', path: 'servicerequestupdates?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&jurisdiction_id=birmingham.gov.uk', root: 'service_request_updates', item: null },
    { name: 'POST service request update (FixMyStreet)', method: 'POST', path: 'servicerequestupdates', fields: () => ({ api_key: t.key, jurisdiction_id: 'birmingham.gov.uk', service_request_id: 'WL-000001', update_id: `fms-${Math.random()}`, status: 'OPEN', description: 'Still there', updated_datetime: '2010-06-24T00:00:00Z', email: 'smit333@sfgov.edu', first_name: 'john', last_name: 'smith' }), root: 'service_request_updates', item: 'request_update' },
  ];

  it.each(methods)('$name', async ({ method, path, fields, root, item, status }) => {
    const [file, query] = path.split('?');
    const ask = (format: 'xml' | 'json') => {
      const url = `/open311/v2/${file}.${format}${query ? `?${query}` : ''}`;
      if (method === 'POST') return t.app.inject({ method, url, headers: FORM, payload: form(fields!()) });
      const withKey = file === 'servicerequestupdates' ? `${url}&api_key=${encodeURIComponent(t.key)}` : url;
      return t.app.inject({ url: withKey });
    };
    const xml = await ask('xml');
    const json = await ask('json');
    expect([xml.statusCode, json.statusCode]).toEqual([status ?? 200, status ?? 200]);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(xml.body.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<${root}`)).toBe(true);
    expect(xml.body.endsWith(`</${root}>\n`) || xml.body.endsWith(`<${root}/>\n`)).toBe(true);
    const data = json.json() as Record<string, unknown> | Record<string, unknown>[];
    const first = Array.isArray(data) ? data[0] : item === 'endpoint' ? (data.endpoints as Record<string, unknown>[])[0] : data;
    if (item) {
      // The same fields in the same order in both formats.
      expect(first, json.body).toBeDefined();
      expect(firstItemFields(xml.body, item)).toEqual(Object.keys(first!));
    } else if (Array.isArray(data)) {
      expect(data).toEqual([]);
      expect(xml.body).toBe(`<?xml version="1.0" encoding="utf-8"?>\n<${root}></${root}>\n`);
    }
  });
});
