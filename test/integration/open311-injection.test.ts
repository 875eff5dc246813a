import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, FORM, startOpen311App, type Open311TestApp } from '../support/open311-app.js';

let t: Open311TestApp;
beforeAll(async () => { t = await startOpen311App(); }, 60_000);
afterAll(async () => { await t?.close(); });

const rows = async <T>(q: ReturnType<typeof sql>) => (await t.core.dbh.db.execute(q)) as unknown as T[];

/** Attempts at SQL, XML, markup and template injection, control characters and sheer length. */
const NASTY = [
  `'); drop table cases; --`,
  `</description><status>closed</status><description>`,
  `<![CDATA[ x ]]> &amp; &#x3c; "quoted" 'single'`,
  `<script>alert(1)</script>{{7*7}}\${7*7}`,
  `\u0000\u0001\u001f\u202e evil`,
  `a`.repeat(5000),
];

/** XML 1.0 as this endpoint writes it: balanced elements and only the five entities in text. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="utf-8"\?>\n/, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)(\w+)(\/?)>|([^<]+)|(<)/g)) {
    if (m[5]) return false;
    if (m[4] !== undefined) {
      // eslint-disable-next-line no-control-regex
      if (!/^(?:[^&<>\u0000-\u0008\u000b\u000c\u000e-\u001f]|&(?:amp|lt|gt|quot|apos);)*$/.test(m[4])) return false;
    } else if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else if (!m[3]) stack.push(m[2]!);
  }
  return stack.length === 0;
}

const REQUEST_FIELDS = ['service_code', 'lat', 'long', 'address_string', 'address_id', 'email', 'device_id', 'account_id', 'first_name', 'last_name',
  'phone', 'description', 'media_url', 'jurisdiction_id', 'attribute[WHISETN]', 'attribute[WHISDORN][]', 'api_key'] as const;
const good = () => ({ api_key: t.key, service_code: 'street-cleaning', lat: '52.525', long: '-1.835', description: 'Litter by the shops' });

async function expectSafeAnswer(res: { statusCode: number; body: string; headers: Record<string, unknown> }, format: 'xml' | 'json', what: string) {
  expect([200, 400, 403, 404], `${what}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
  if (format === 'xml') expect(wellFormed(res.body), `${what}: ${res.body.slice(0, 300)}`).toBe(true);
  else expect(() => JSON.parse(res.body), what).not.toThrow();
  expect(res.body, what).not.toMatch(/\n\s+at |Failed query|syntax error/);
}

describe('injection attempts in every field', () => {
  it.each(REQUEST_FIELDS)('POST requests: %s is kept as text or refused with the error list, in both formats', async (field) => {
    for (const value of NASTY) {
      for (const format of ['xml', 'json'] as const) {
        const res = await t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: FORM, payload: form({ ...good(), [field]: value }) });
        await expectSafeAnswer(res, format, `${field}=${JSON.stringify(value.slice(0, 40))} (${format})`);
        if (res.statusCode !== 200) continue;
        const ref = /WL-\d{6}/.exec(res.body)![0];
        const shown = await t.app.inject({ url: `/open311/v2/requests/${ref}.xml` });
        expect(wellFormed(shown.body), shown.body).toBe(true);
        if (field === 'description') {
          const [stored] = await rows<{ description: string }>(sql`select description from cases where seq = ${Number(ref.slice(3))}`);
          // Kept as written, but for NUL, which PostgreSQL text cannot hold.
          expect(stored!.description.replace(/\s+/g, ' ')).toBe(value.replaceAll('\u0000', '').trim().replace(/\s+/g, ' '));
        }
      }
    }
    // The tables are intact and the endpoint still takes a good request.
    expect((await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: FORM, payload: form(good()) })).statusCode).toBe(200);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from cases`))[0]!.n).toBeGreaterThan(0);
  }, 120_000);

  it.each(['service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'jurisdiction_id'])('GET requests: %s', async (field) => {
    for (const value of NASTY) {
      for (const format of ['xml', 'json'] as const) {
        const res = await t.app.inject({ url: `/open311/v2/requests.${format}?${form({ [field]: value })}` });
        await expectSafeAnswer(res, format, `${field}=${JSON.stringify(value.slice(0, 40))} (${format})`);
      }
    }
    for (const format of ['xml', 'json'] as const) {
      await expectSafeAnswer(await t.app.inject({ url: `/open311/v2/requests/${encodeURIComponent(NASTY[1]!)}.${format}` }), format, `request id (${format})`);
      await expectSafeAnswer(await t.app.inject({ url: `/open311/v2/services/${encodeURIComponent(NASTY[0]!)}.${format}` }), format, `service code (${format})`);
    }
  }, 120_000);

  it.each(['service_request_id', 'update_id', 'status', 'description', 'email', 'first_name', 'last_name', 'updated_datetime', 'media_url', 'start_date'])('servicerequestupdates: %s', async (field) => {
    const ref = (await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: FORM, payload: form(good()) })).json()[0].service_request_id as string;
    for (const value of NASTY) {
      for (const format of ['xml', 'json'] as const) {
        const fields = { api_key: t.key, service_request_id: ref, update_id: `u-${Math.random()}`, status: 'OPEN', description: 'Still there', [field]: value };
        await expectSafeAnswer(await t.app.inject({ method: 'POST', url: `/open311/v2/servicerequestupdates.${format}`, headers: FORM, payload: form(fields) }), format, `POST ${field} (${format})`);
        const listed = await t.app.inject({ url: `/open311/v2/servicerequestupdates.${format}?${form({ api_key: t.key, [field]: value })}` });
        await expectSafeAnswer(listed, format, `GET ${field} (${format})`);
      }
    }
  }, 120_000);
});
