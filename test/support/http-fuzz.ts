import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { deepRequestArb, seedRequests } from './http-fuzz-deep.js';
import { slackSignature } from './slack-requests.js';

/** What a fuzzed request may know of the installation: real ids make some requests reach deep. */
export interface FuzzWorld {
  personIds: string[];
  channelIds: string[];
  slackSecret: string;
  /** Signed-in tracker sessions: the cookie and the session's form token. */
  sessions: { cookie: string; csrf: string }[];
  open311Key: string;
  /** Case references, wards and services that exist. */
  refs: string[];
  wardIds: string[];
  serviceIds: string[];
}

type Body =
  | { kind: 'none' }
  | { kind: 'bytes'; data: Buffer }
  | { kind: 'huge'; size: number }
  | { kind: 'short-length'; data: Buffer };

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Body;
  chunked: boolean;
  signed: boolean;
  /** What kind of request this is, for the report. */
  label: string;
}

const ROUTES = [
  '/', '/healthz', '/favicon.ico', '/readyz', '/metrics', '/workspace.js', '/workspace.css', '/slack/events', '/api/messages',
  '/api/workspace/people', '/api/workspace/options', '/api/workspace/channels', '/api/workspace/channels/{id}/messages',
  '/api/workspace/actions', '/api/workspace/events', '/workspace',
  // The Ward Action Tracker
  '/cases', '/cases/export.csv', '/cases/{id}', '/cases/{id}/actions', '/wards', '/wards/{id}', '/wards/{id}/{id}', '/themes/{id}',
  '/services', '/services/{id}', '/services/{id}/scorecard.csv', '/clusters/{id}', '/districts/{id}/{id}', '/auth/sign-in', '/auth/demo',
  '/auth/sign-out', '/auth/login/{id}', '/auth/callback/{id}', '/tracker.css', '/tracker.js', '/govuk/{id}', '/assets/{id}/{id}',
  // Open311
  '/open311/v2/{id}', '/open311/v2/services/{id}', '/open311/v2/requests/{id}',
];
const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE', 'M-SEARCH']);
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE', 'M-SEARCH', 'BREW', 'get'];
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'text/xml',
  'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'garbage', ';;;', 'application/*', '*/*', 'application/json;;charset=""',
];
const ODD_SEGMENTS = ['%E0', '%', '%%', '%zz', '%00', '..', '.', '%2e%2e', '%2F', '%C0%AF', '~', '\u00e9', 'dm-', 'general', 'ward-erdington'];

/** Unicode as raw UTF-8 bytes on the wire (node's client sends a latin-1 string byte for byte). */
const rawUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const safePathChars = (s: string) => s.replace(/[^\u0021-\u00ff]/g, (c) => encodeURIComponent(c)).replace(/[?#]/g, '%3F');

function segmentArb(world: FuzzWorld): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...world.channelIds, ...world.personIds.map((p) => `dm-${p}`)),
    fc.constantFrom(...world.refs, ...world.wardIds, ...world.serviceIds, 'requests.json', 'discovery.xml', 'services.json', 'weeks.csv', 'govuk-frontend.min.css', 'council', 'slack'),
    fc.constantFrom(...ODD_SEGMENTS),
    fc.string({ maxLength: 30, unit: 'grapheme' }).map((s) => safePathChars(rawUtf8(s))),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
    fc.integer({ min: 150, max: 20_000 }).map((n) => 'x'.repeat(n)),
  );
}

function queryArb(world: FuzzWorld): fc.Arbitrary<string> {
  const value = fc.oneof(fc.constantFrom(...world.personIds), fc.constantFrom('%E0', '', '%', '1', '99999999999999999999', 'a&b'), fc.string({ maxLength: 20 }).map(encodeURIComponent));
  return fc.oneof(
    fc.constant(''),
    fc.tuple(fc.constantFrom('as', 'thread', 'as[]', 'x', '', 'status', 'q', 'returnTo', 'api_key', 'year'), value).map(([k, v]) => `?${k}=${v}`),
    fc.array(fc.tuple(fc.constantFrom('as', 'thread'), value), { maxLength: 4 }).map((kv) => `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}`),
  );
}

function pathArb(world: FuzzWorld): fc.Arbitrary<string> {
  const templated = fc.tuple(fc.constantFrom(...ROUTES), segmentArb(world), segmentArb(world)).map(([r, a, b]) => r.replace('{id}', a).replace('{id}', b));
  const mangled = fc.tuple(templated, fc.constantFrom('', '//', '/', '/..', '/./', '//..//', '/%2e%2e/', '/%E0', '\u00ff'))
    .map(([p, extra]) => (extra.startsWith('/') && p !== '/' ? extra + p.slice(1) : p + extra));
  const random = fc.array(segmentArb(world), { maxLength: 6 }).map((s) => `/${s.join('/')}`);
  return fc.tuple(fc.oneof({ weight: 5, arbitrary: templated }, { weight: 3, arbitrary: mangled }, { weight: 2, arbitrary: random }), queryArb(world))
    .map(([p, q]) => p + q);
}

function bodyArb(world: FuzzWorld): fc.Arbitrary<{ body: Body; label: string }> {
  const bytes = (label: string, a: fc.Arbitrary<string | Buffer>) => a.map((d) => ({ body: { kind: 'bytes' as const, data: Buffer.from(d) }, label }));
  const who = fc.oneof(fc.constantFrom(...world.personIds), fc.uuid(), fc.string({ maxLength: 10 }));
  const text = fc.string({ maxLength: 300, unit: 'grapheme' });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ body: { kind: 'none' as const }, label: 'no body' }) },
    { weight: 3, arbitrary: bytes('invalid JSON', fc.string({ maxLength: 200 }).map((s) => `{${s}`)) },
    { weight: 3, arbitrary: bytes('random JSON', fc.json({ maxDepth: 4 })) },
    { weight: 1, arbitrary: bytes('deep arrays', fc.integer({ min: 100, max: 200_000 }).map((d) => '['.repeat(d) + ']'.repeat(d))) },
    { weight: 1, arbitrary: bytes('deep objects', fc.integer({ min: 100, max: 50_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d))) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000_001, max: 1_200_000 }).map((size) => ({ body: { kind: 'huge' as const, size }, label: 'huge' })) },
    { weight: 1, arbitrary: bytes('binary', fc.uint8Array({ maxLength: 500 }).map((a) => Buffer.from(a))) },
    { weight: 1, arbitrary: bytes('gzip JSON', fc.json({ maxDepth: 2 }).map((j) => gzipSync(j))) },
    { weight: 1, arbitrary: fc.string({ minLength: 2, maxLength: 100 }).map((s) => ({ body: { kind: 'short-length' as const, data: Buffer.from(`{"a":"${s}"}`) }, label: 'short content-length' })) },
    { weight: 3, arbitrary: bytes('workspace message', fc.record({ as: who, text, threadId: fc.option(fc.constantFrom('1', '99999', 'x')) }).map((b) => JSON.stringify(b))) },
    { weight: 2, arbitrary: bytes('workspace action', fc.record({ as: who, messageId: fc.constantFrom('1', '2', '999999', 'x'), actionId: fc.constantFrom('case.acknowledge', 'case.resolve', 'nope'), value: fc.string({ maxLength: 20 }) }).map((b) => JSON.stringify(b))) },
    { weight: 2, arbitrary: bytes('slack form', fc.record({ command: fc.constantFrom('/wardline', '/x'), text: fc.string({ maxLength: 50 }), user_id: fc.constantFrom('U1', 'U2') }).map((f) => new URLSearchParams(f).toString())) },
    { weight: 2, arbitrary: bytes('slack payload', fc.json({ maxDepth: 3 }).map((j) => `payload=${encodeURIComponent(j)}`)) },
    { weight: 2, arbitrary: bytes('slack event', fc.record({ type: fc.constantFrom('event_callback', 'url_verification', 'x'), event_id: fc.string({ maxLength: 12 }), team_id: fc.constant('T0WARDLINE'), challenge: fc.string({ maxLength: 10 }), event: fc.oneof(fc.constant({ type: 'app_mention', user: 'U1', text: 'hi', channel: 'C1', ts: '1.1' }), fc.object({ maxDepth: 2 })) }).map((b) => JSON.stringify(b))) },
    { weight: 2, arbitrary: bytes('teams activity', fc.record({ type: fc.constantFrom('message', 'invoke', 'conversationUpdate', 'x'), text: fc.string({ maxLength: 40 }), serviceUrl: fc.constantFrom('http://127.0.0.1:9/', 'x'), from: fc.object({ maxDepth: 1 }), conversation: fc.object({ maxDepth: 1 }) }).map((b) => JSON.stringify(b))) },
  );
}

const headerValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ''));
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);

function headersArb(world: FuzzWorld): fc.Arbitrary<Record<string, string>> {
  return fc.record({
    cookie: fc.oneof(fc.constantFrom(...world.sessions.map((x) => x.cookie), 'wl_session=forged'), headerValue),
    'content-type': fc.constantFrom(...CONTENT_TYPES),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x-garbage'),
    'accept-encoding': fc.constantFrom('gzip', 'br, deflate', '*', 'identity;q=0'),
    authorization: fc.oneof(fc.constant('Bearer not.a.token'), headerValue.map((v) => `Bearer ${v}`)),
    'x-slack-request-timestamp': fc.oneof(fc.integer().map(String), headerValue),
    'x-slack-signature': headerValue,
    'x-slack-retry-num': fc.constantFrom('1', 'x', '-1'),
  }, { requiredKeys: [] }).chain((known) => fc.dictionary(headerName, headerValue, { maxKeys: 3 }).map((extra) => ({ ...extra, ...known })));
}

/**
 * A request: route, method, headers, body; some Slack ones correctly signed to reach Bolt; a
 * quarter well formed for the tracker (signed in) and Open311 (a real key) with random values.
 */
export function requestArb(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const random = fc.record({
    method: fc.constantFrom(...METHODS), path: pathArb(world), headers: headersArb(world), body: bodyArb(world), chunked: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), signed: fc.boolean(),
  }).map(({ method, path, headers, body, chunked, signed }) => ({ method, path, headers, body: body.body, chunked, signed, label: `${method} ${body.label}${chunked ? ' chunked' : ''}${path.length > 8000 ? ' long path' : ''}` }));
  return fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: deepRequestArb(world) });
}

export interface FuzzOutcome {
  total: number;
  byStatus: Record<string, number>;
  /** Requests answered 500, with the answer (the cause is in the server's log). */
  errors500: { request: string; body: string }[];
  /** Answers that broke the rules (a status outside 2xx-4xx/500, a 500 with more than the logged notice, a stack). */
  violations: { request: string; status: number; body: string }[];
  /** Connections the server closed before answering, by request kind. */
  closed: Record<string, number>;
  closedExamples: string[];
  ms: number;
}

/**
 * Requests the server may answer by closing the connection: they are sent on one of their own.
 * Node's parser refuses a chunked body on GET, HEAD and the like (400, then it closes).
 */
export const breaksFraming = (r: FuzzRequest) => (r.method === 'HEAD' && r.body.kind !== 'none')
  || (r.chunked && r.body.kind !== 'none' && !['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) || r.body.kind === 'huge' || r.body.kind === 'short-length' || !KNOWN_METHODS.has(r.method) || r.path.length > 8000;

const describeRequest = (r: FuzzRequest) => `${r.method} ${r.path.slice(0, 120)} [${r.label}]`;

/** Sends one request on a kept-alive connection; resolves with the status and (first 4 KB of the) body. */
function send(base: string, agent: Agent, r: FuzzRequest, world: FuzzWorld): Promise<{ status: number; body: string } | { closed: string }> {
  const data = r.body.kind === 'huge' ? Buffer.alloc(r.body.size, 0x20) : r.body.kind === 'none' ? null : r.body.data;
  const headers = { ...r.headers };
  if (r.signed && data) {
    const ts = Math.floor(Date.now() / 1000);
    Object.assign(headers, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(data.toString('utf8'), ts, world.slackSecret) });
  }
  if (data && !r.chunked) headers['content-length'] = String(r.body.kind === 'short-length' ? Math.max(0, data.length - 3) : data.length);
  // A request that breaks HTTP framing (a refused body left unread, a wrong length, a method the
  // parser refuses) gets a connection of its own, so that its closing cannot land on another's.
  const own = breaksFraming(r);
  return new Promise((ok) => {
    const req = request(base + r.path, { method: r.method, agent: own ? false : agent, headers, timeout: 30_000 }, (res) => {
      if (res.headers['content-type'] === 'text/event-stream') { req.destroy(); ok({ status: res.statusCode ?? 0, body: '' }); return; }
      let body = '';
      res.on('data', (c: Buffer) => { if (body.length < 4096) body += c.toString('utf8'); });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => ok({ closed: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => ok({ closed: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.on('timeout', () => { req.destroy(new Error('client timeout')); });
    if (!data) { req.end(); return; }
    if (r.chunked) {
      for (let i = 0; i < data.length; i += 64 * 1024) req.write(data.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(data);
  });
}

/** `count` requests drawn from `seed`, `concurrency` at a time on kept-alive connections. */
export async function runHttpFuzz(o: { base: string; world: FuzzWorld; count: number; seed: number; concurrency: number; internalMessage: string }): Promise<FuzzOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const out: FuzzOutcome = { total: 0, byStatus: {}, errors500: [], violations: [], closed: {}, closedExamples: [], ms: 0 };
  const started = performance.now();
  const arb = requestArb(o.world);
  let batch = 0;
  // The seeds first, in every run; then batches drawn from the seed number.
  let queue: FuzzRequest[] = seedRequests(o.world).reverse();
  const next = (): FuzzRequest | null => {
    if (out.total >= o.count) return null;
    if (!queue.length) queue = fc.sample(arb, { numRuns: Math.min(1000, o.count), seed: o.seed + batch++ });
    out.total++;
    return queue.pop()!;
  };
  const lane = async () => {
    for (let r = next(); r; r = next()) {
      const res = await send(o.base, agent, r, o.world);
      if ('closed' in res) {
        const k = `${breaksFraming(r) ? 'own' : 'shared'} connection, ${r.label}: ${res.closed}`;
        out.closed[k] = (out.closed[k] ?? 0) + 1;
        if (out.closedExamples.length < 20) out.closedExamples.push(`${describeRequest(r)} ${JSON.stringify(r.headers)} -> ${res.closed}`);
        continue;
      }
      out.byStatus[res.status] = (out.byStatus[res.status] ?? 0) + 1;
      const stack = /\n\s+at /.test(res.body);
      if (res.status === 500) out.errors500.push({ request: describeRequest(r), body: res.body });
      const shapeOk = res.status >= 200 && res.status < 500 ? !stack : res.status === 500 && res.body.includes(o.internalMessage) && !stack;
      if (!shapeOk) out.violations.push({ request: describeRequest(r), status: res.status, body: res.body.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  agent.destroy();
  out.ms = performance.now() - started;
  return out;
}
