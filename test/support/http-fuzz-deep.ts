import fc from 'fast-check';
import { CASE_STATUSES } from '../../src/shared/enums.js';
import type { FuzzRequest, FuzzWorld } from './http-fuzz.js';

/**
 * Requests that make sense to the tracker and Open311 (signed in with a good form token, a real
 * api_key, real references, wards and services) but carry random values: they reach past the
 * refusals at the door into the pages, the case services and the database.
 */

const WEB_ACTIONS = ['acknowledge', 'update', 'need_info', 'resolve', 'reassign', 'wrong_route', 'nope'];
const OPEN311_FILES = ['discovery', 'services', 'requests', 'servicerequestupdates', 'tokens', ''];
const FORMATS = ['xml', 'json', 'XML', 'csv', ''];
const TABLES = ['weeks.csv', 'services.csv', 'topics.csv', 'scorecard.csv', 'x.csv', '%00.csv'];

/** Random text for a field: plain, with NUL and lone surrogates (which PostgreSQL refuses), long. */
const fieldText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '', ' ', '99999999999999999999', '-1', '1e308', 'NaN', '<b>&amp;</b>', "'; drop table cases; --"),
  fc.integer({ min: 300, max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** Percent-encoding that also sends a lone surrogate (as the bytes of its CESU-8 form, which is not UTF-8). */
const encode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
};

const form = (fields: Record<string, string | string[]>) => {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) out.append(k, one);
  return Buffer.from(out.toString());
};

const FORM_TYPE = 'application/x-www-form-urlencoded';

function trackerArb(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const session = fc.constantFrom(...world.sessions);
  const id = fc.oneof(fc.constantFrom(...world.wardIds, ...world.serviceIds, 'fly-tipping', 'north', '%00', '%E0', 'x'.repeat(300)), fc.string({ maxLength: 20 }).map(encode));
  const ref = fc.oneof(fc.constantFrom(...world.refs, 'WL-000000', 'WL-999999', '%00', 'wl-1'), fc.string({ maxLength: 12 }).map(encode));
  const query = fc.dictionary(fc.constantFrom('status', 'ward', 'service', 'q', 'sort', 'overdue', 'page', 'year', 'done', 'returnTo', 'theme'), fieldText.map(encode), { maxKeys: 4 })
    .map((q) => (Object.keys(q).length ? `?${Object.entries(q).map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
  const path = fc.oneof(
    fc.constantFrom('/', '/cases', '/cases/export.csv', '/wards', '/themes', '/services', '/auth/sign-in', '/workspace'),
    ref.map((r) => `/cases/${r}`),
    fc.tuple(fc.constantFrom('wards', 'clusters', 'districts', 'themes', 'services'), id).map(([k, i]) => `/${k}/${i}`),
    fc.tuple(fc.constantFrom('wards', 'clusters', 'districts', 'themes', 'services'), id, fc.constantFrom(...TABLES)).map(([k, i, t]) => `/${k}/${i}/${t}`),
  );
  const page = fc.record({ session, path, query }).map(({ session: s, path: p, query: q }) => request('GET', p + q, { cookie: s.cookie }, null, 'tracker page, signed in'));
  const action = fc.record({
    session, ref, goodToken: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
    fields: fc.record({
      action: fc.constantFrom(...WEB_ACTIONS), text: fieldText, person: fc.oneof(fc.constantFrom(...world.personIds), fieldText, fc.array(fc.constantFrom(...world.personIds), { minLength: 2, maxLength: 2 })),
      serviceId: fc.oneof(fc.constantFrom(...world.serviceIds), fieldText), wardId: fc.oneof(fc.constantFrom(...world.wardIds), fieldText),
      expectedStatus: fc.constantFrom(...CASE_STATUSES, 'x'),
    }, { requiredKeys: ['action'] }),
  }).map(({ session: s, ref: r, goodToken, fields }) => request('POST', `/cases/${r}/actions`, { cookie: s.cookie, 'content-type': FORM_TYPE },
    form({ ...fields, _csrf: goodToken ? s.csrf : 'forged' }), 'tracker action, signed in'));
  return fc.oneof({ weight: 3, arbitrary: page }, { weight: 2, arbitrary: action });
}

function open311Arb(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const file = fc.tuple(fc.constantFrom(...OPEN311_FILES), fc.constantFrom(...FORMATS)).map(([f, x]) => (x ? `${f}.${x}` : f));
  const key = fc.oneof({ weight: 4, arbitrary: fc.constant(world.open311Key) }, { weight: 1, arbitrary: fieldText });
  const fields = fc.record({
    api_key: key, jurisdiction_id: fc.constantFrom('birmingham.gov.uk', 'city.gov', ''), service_code: fc.oneof(fc.constantFrom(...world.serviceIds), fieldText),
    lat: fc.oneof(fc.constantFrom('52.52', '95', '', '52.5; drop'), fc.double().map(String)), long: fc.oneof(fc.constantFrom('-1.84', ''), fc.double().map(String)),
    address_string: fieldText, address_id: fieldText, description: fieldText, email: fc.oneof(fc.emailAddress(), fieldText), first_name: fieldText, phone: fieldText,
    service_request_id: fc.oneof(fc.constantFrom(...world.refs), fieldText), update_id: fieldText, status: fc.constantFrom('OPEN', 'CLOSED', 'open', 'x'),
    start_date: fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'x'), 'attribute[X]': fieldText, media_url: fieldText,
  }, { requiredKeys: [] });
  const read = fc.record({ file, fields, nested: fc.oneof(fc.constant(''), fc.constantFrom('services/', 'requests/')), ref: fc.constantFrom(...world.refs, 'WL-999999', '%00') })
    .map(({ file: f, fields: q, nested, ref: r }) => {
      const at = nested === 'requests/' ? `requests/${r}.json` : `${nested}${f}`;
      return request('GET', `/open311/v2/${at}?${form(q).toString()}`, {}, null, 'open311 read');
    });
  const write = fc.record({ file: fc.constantFrom('requests.xml', 'requests.json', 'servicerequestupdates.json', 'servicerequestupdates.xml', 'discovery.json'), fields })
    .map(({ file: f, fields: b }) => request('POST', `/open311/v2/${f}`, { 'content-type': FORM_TYPE }, form(b), 'open311 write'));
  return fc.oneof({ weight: 2, arbitrary: read }, { weight: 3, arbitrary: write });
}

/** Deep requests for the tracker (signed in) and Open311 (with a real key). */
export function deepRequestArb(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(trackerArb(world), open311Arb(world));
}

function request(method: string, path: string, headers: Record<string, string>, data: Buffer | null, label: string): FuzzRequest {
  return { method, path, headers, body: data ? { kind: 'bytes', data } : { kind: 'none' }, chunked: false, signed: false, label };
}

/** Requests sent before the random ones in every run: each once found a 500 or a crash. */
export function seedRequests(world: FuzzWorld): FuzzRequest[] {
  const as = world.personIds[0]!;
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const s = world.sessions[0]!;
  return [
    request('GET', `/api/workspace/channels/%00/messages?as=${as}`, {}, null, 'seed: NUL channel id'),
    request('POST', '/api/workspace/channels/%00/messages', { 'content-type': 'application/json' }, json({ as, text: 'hello' }), 'seed: NUL channel id'),
    request('GET', `/api/workspace/channels/a%00b/messages?as=${as}`, {}, null, 'seed: NUL in a channel id'),
    request('GET', `/api/workspace/channels/general/messages?as=${as}&thread=99999999999999999999`, {}, null, 'seed: thread beyond bigint'),
    request('GET', '//', {}, null, 'seed: double slash'),
    request('GET', '/api/workspace/channels/%E0/messages', {}, null, 'seed: bad percent-encoding'),
    request('GET', '/cases/%00', { cookie: s.cookie }, null, 'seed: NUL case reference'),
    request('GET', '/cases?q=%00&ward=%00', { cookie: s.cookie }, null, 'seed: NUL in tracker filters'),
    request('GET', '/wards/%00/weeks.csv', { cookie: s.cookie }, null, 'seed: NUL ward'),
    request('POST', `/cases/${world.refs[0]}/actions`, { cookie: s.cookie, 'content-type': FORM_TYPE }, form({ _csrf: s.csrf, action: 'update', text: 'a\u0000b' }), 'seed: NUL in a tracker update'),
    request('POST', `/cases/${world.refs[0]}/actions`, { cookie: s.cookie, 'content-type': FORM_TYPE }, form({ _csrf: s.csrf, action: 'reassign', person: [as, as] }), 'seed: repeated form field'),
    request('GET', '/open311/v2/requests/%00.json', {}, null, 'seed: NUL Open311 id'),
    request('GET', '/open311/v2/requests/%E0.xml', {}, null, 'seed: bad percent-encoding in Open311'),
    request('POST', '/open311/v2/requests.json', { 'content-type': FORM_TYPE }, form({ api_key: world.open311Key, service_code: 'waste-enforcement', address_string: 'Slade\u0000Road', description: '\ud800' }), 'seed: NUL in an Open311 request'),
    request('POST', '/open311/v2/requests.json', { 'content-type': 'application/json' }, json({ api_key: world.open311Key }), 'seed: JSON to Open311'),
  ];
}
