import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yearRange } from '../../src/dashboards/dashboard-model.js';
import { listAudit } from '../../src/db/audit-repo.js';
import { loadAreaFiguresLive } from '../../src/db/dashboard-live.js';
import { loadAreaFigures } from '../../src/db/dashboard-repo.js';
import { ensureDashboardStats } from '../../src/db/dashboard-stats-build.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { ensureChannel, insertMessage } from '../../src/db/workspace-repo.js';
import { loadWardWeekAggregates } from '../../src/db/digest-repo.js';
import { isoWeekOf, previousWeeks } from '../../src/digests/digest-model.js';
import { runRetention } from '../../src/privacy/retention.js';
import { eraseSubject, exportSubject, renderSubjectHtml } from '../../src/privacy/subject-access.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asPersonId, asServiceId, asWardId, type CaseId } from '../../src/shared/ids.js';
import { form, FORM, startOpen311App, type Open311TestApp } from '../support/open311-app.js';
import { runCli } from '../support/cli.js';
import { copyDatabase } from '../support/test-db.js';

const clock = new FixedClock('2024-03-04T10:00:00Z');
let t: Open311TestApp;
const rows = async <T>(q: ReturnType<typeof sql>) => (await t.core.dbh.db.execute(q)) as unknown as T[];
const person = (email: string) => asPersonId(t.people.get(email)!.id);
const policy = { defaultMonths: 24, byService: { 'street-cleaning': 12 } };
const ids: CaseId[] = [];

/** A believable few weeks: cases opened, answered and resolved or closed in two wards; one came through Open311. */
async function seed(): Promise<void> {
  const cllr = person('cllr.erd@birmingham.example');
  const rm = person('rm.ward@birmingham.example');
  const city = person('rm.city@birmingham.example');
  for (let i = 0; i < 6; i++) {
    const service = i % 2 ? 'street-cleaning' : 'waste-enforcement';
    const c = await t.core.cases.openCase(cllr, {
      serviceId: asServiceId(service), wardId: asWardId('erdington'), urgent: i === 0, topic: i % 2 ? 'litter' : 'fly-tipping', location: `${i} Slade Road`,
      summary: `Problem ${i} reported by Ada Lovelace`, description: `Ada Lovelace (07700 900123) says rubbish piles up at ${i} Slade Road.`,
    });
    ids.push(c.id);
    clock.advance(3 * 3600_000);
    const who = service === 'street-cleaning' ? city : rm;
    await t.core.cases.acknowledge(c.id, who);
    await t.core.cases.addUpdate(c.id, who, `Spoke to ada@example.org about ${i}.`);
    if (i < 5) await t.core.cases.resolve(c.id, who, 'Cleared.');
    if (i < 3) await t.core.cases.close(c.id, who, 'Done.');
    clock.advance(26 * 3600_000);
  }
  const res = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: FORM, payload: form({
    api_key: t.key, service_code: 'waste-enforcement', lat: '52.52', long: '-1.84', description: 'Sofa on the verge', email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace', phone: '+44 7700 900123',
  }) });
  const [o] = await rows<{ id: CaseId }>(sql`select id from cases where seq = ${Number(res.json()[0].service_request_id.slice(3))}`);
  ids.push(o!.id);
  await t.core.cases.resolve(o!.id, rm, 'Collected the sofa.');
  const update = await t.app.inject({ method: 'POST', url: '/open311/v2/servicerequestupdates.json', headers: FORM, payload: form({
    api_key: t.key, service_request_id: res.json()[0].service_request_id, update_id: 'fms-1', status: 'CLOSED', description: 'Thank you!', email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace',
  }) });
  expect(update.statusCode).toBe(200);
}

async function digestFigures(db: Db) {
  const week = isoWeekOf(new Date('2024-03-06T12:00:00Z'), 'Europe/London');
  const aggs = await loadWardWeekAggregates(db, { wardIds: ['erdington'], week, previous: previousWeeks(week, 4, 'Europe/London') });
  return aggs.map((a) => ({ ...a, oldestOpen: a.oldestOpen.map((o) => ({ ...o, summary: undefined })) }));
}

/** The dashboards' figures for the ward in 2024, from the rollup and computed live. */
async function dashboardFigures(db: Db) {
  const range = { ...yearRange(2024, 'Europe/London'), now: clock.now(), zone: 'Europe/London' };
  await ensureDashboardStats(db, 'Europe/London', { force: true });
  const [rollup, live] = [await loadAreaFigures(db, { wardIds: ['erdington'] }, range), await loadAreaFiguresLive(db, { wardIds: ['erdington'] }, range)];
  expect(live.newCount).toBeGreaterThan(0);
  return { rollup, live };
}

beforeAll(async () => {
  t = await startOpen311App({ clock });
  await seed();
}, 90_000);
afterAll(async () => { await t?.close(); });

describe('subject access and erasure', () => {
  it('finds a resident in a case description, an RM update and an Open311 report, as JSON and HTML', async () => {
    const byEmail = await exportSubject(t.core.dbh.db, { email: 'ada@example.org' }, { actor: 'test', at: clock.now() });
    expect(byEmail.cases).toHaveLength(7);
    const report = byEmail.cases.at(-1)!;
    expect(report.reporter).toMatchObject({ email: 'ada@example.org', firstName: 'Ada', lastName: 'Lovelace' });
    expect(report.updatesPosted).toEqual([expect.objectContaining({ email: 'ada@example.org', firstName: 'Ada' })]);
    expect(report.events.map((e) => e.text)).toContain('Thank you!');
    expect(byEmail.cases[0]!.events.map((e) => e.text)).toEqual(['Spoke to ada@example.org about 0.']);
    const byPhone = await exportSubject(t.core.dbh.db, { phone: '07700900123' }, { actor: 'test', at: clock.now() });
    expect(byPhone.cases).toHaveLength(7);
    const byName = await exportSubject(t.core.dbh.db, { name: 'ada lovelace' }, { actor: 'test', at: clock.now() });
    expect(byName.cases.map((c) => c.description)).toContain('Sofa on the verge');
    const html = renderSubjectHtml({ ...byName, cases: [{ ...byName.cases[0]!, description: '<script>x</script>' }] });
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const audit = await listAudit(t.core.dbh.db);
    expect(audit.filter((a) => a.action === 'subject.exported')).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toMatch(/ada@example|07700|Lovelace/i);
  });
});

describe('subject access from the command line', () => {
  it('writes the JSON and a readable HTML bundle with `wardline subject export`, and erases nothing without a confirmation', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wl-sar-'));
    const env = { DATABASE_URL: t.databaseUrl, WARDLINE_ACTOR: 'dpo@council.example' };
    const r = await runCli(['subject', 'export', '--name', 'Ada Lovelace', '--out', out], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Found 7 cases');
    const bundle = JSON.parse(readFileSync(join(out, 'subject-access.json'), 'utf8')) as { cases: { description: string; reporter: { email: string } | null }[] };
    expect(bundle.cases).toHaveLength(7);
    expect(bundle.cases.find((c) => c.description === 'Sofa on the verge')!.reporter).toMatchObject({ email: 'ada@example.org' });
    const html = readFileSync(join(out, 'subject-access.html'), 'utf8');
    expect(html).toContain('<h1>Information held about Ada Lovelace</h1>');
    expect(html).toContain('7 cases');
    expect(html).toContain('<h3>Reported by</h3><p>Ada Lovelace · ada@example.org · +44 7700 900123</p>');
    expect(html).toContain('<p>Ada Lovelace (07700 900123) says rubbish piles up at 0 Slade Road.</p>');
    expect(html).toContain('<li>2024-03-11T16:00:00.000Z update: Thank you!</li>');
    expect(html).not.toMatch(/<script/);
    // Piped input is no confirmation: nothing is removed and the log says nothing was erased.
    const unconfirmed = await runCli(['subject', 'erase', '--name', 'Ada Lovelace'], { env, input: 'yes\n' });
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('Nothing was removed');
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from cases where description like 'Ada Lovelace%'`))[0]!.n).toBe(6);
    const audit = await listAudit(t.core.dbh.db);
    expect(audit.filter((a) => a.action === 'subject.erased')).toEqual([]);
    expect(audit.filter((a) => a.action === 'subject.exported').at(-1)).toMatchObject({ actor: 'dpo@council.example', detail: { by: 'name', cases: 7, messages: 0 } });
  }, 120_000);
});

describe('retention', () => {
  it('on a copy of the seeded database: says what it would change, then removes expired text keeping the digest\'s figures, untouched or whole even when stopped half way', async () => {
    // The council's rehearsal: retention runs on a copy; the original is the yardstick.
    const copy = await openDatabase({ databaseUrl: await copyDatabase(t.databaseUrl), dataDir: '' });
    const on = (db: Db) => async <T>(q: ReturnType<typeof sql>) => (await db.execute(q)) as unknown as T[];
    const rowsOf = on(copy.db);
    try {
      clock.set('2025-04-01T10:00:00Z');
      const dry = await runRetention({ db: copy.db, clock, policy }, { dryRun: true, actor: 'test' });
      expect(dry.cases.map((c) => c.serviceId)).toEqual(['street-cleaning', 'street-cleaning']);
      expect((await rowsOf<{ n: number }>(sql`select count(*)::int as n from case_redactions`))[0]!.n).toBe(0);

      clock.set('2026-04-01T10:00:00Z');
      const original = await digestFigures(t.core.dbh.db);
      // Figures worth keeping: the week has new, acknowledged and resolved cases, medians and topics.
      expect(original[0]).toMatchObject({ newCount: expect.any(Number), resolvedCount: expect.any(Number) });
      expect(original[0]!.newCount * original[0]!.acknowledgedCount * original[0]!.resolvedCount * original[0]!.topTopics.length * original[0]!.medians.length).toBeGreaterThan(0);
      expect(await digestFigures(copy.db)).toEqual(original);
      // Stop the run on the third case: a trigger fails its last step, as a crash there would.
      await copy.db.execute(sql.raw(`create function fail_once() returns trigger language plpgsql as $$ begin raise exception 'stopped'; end $$;
        create trigger stop_retention before insert on case_redactions for each row when (new.case_id = '${ids[2]}') execute function fail_once();`));
      await expect(runRetention({ db: copy.db, clock, policy }, { dryRun: false, actor: 'test' })).rejects.toThrow();
      const textsOf = sql`select c.description, c.summary, c.location,
        array(select e.data ->> 'text' from case_events e where e.case_id = c.id and e.data ? 'text' order by e.id) as texts from cases c order by c.seq`;
      type Texts = { description: string; summary: string; location: string; texts: string[] };
      const state = await rowsOf<Texts>(textsOf);
      for (const [i, months] of [[0, 24], [1, 12]] as const) {
        const marker = `[removed after ${months} months]`;
        expect(state[i]).toMatchObject({ description: marker, summary: marker, location: marker });
        expect(state[i]!.texts.every((x) => x === marker)).toBe(true);
      }
      // The case the run stopped on is untouched, every word of it, as in the original.
      expect(state[2]).toEqual((await on(t.core.dbh.db)<Texts>(textsOf))[2]);
      expect(state[2]!.texts.some((x) => x.includes('ada@example.org'))).toBe(true);

      await copy.db.execute(sql`drop trigger stop_retention on case_redactions`);
      const done = await runRetention({ db: copy.db, clock, policy }, { dryRun: false, actor: 'test' });
      expect(done.cases).toHaveLength(4);
      const after = await rowsOf<{ status: string; ward_id: string; service_id: string; description: string }>(sql`select status, ward_id, service_id, description from cases order by seq`);
      expect(after.map((c) => c.description)).toEqual(['[removed after 24 months]', '[removed after 12 months]', '[removed after 24 months]', '[removed after 12 months]', '[removed after 24 months]', expect.stringMatching(/^Ada/), '[removed after 24 months]']);
      const kept = await on(t.core.dbh.db)<{ status: string; ward_id: string; service_id: string }>(sql`select status, ward_id, service_id from cases order by seq`);
      expect(after.map(({ status, ward_id, service_id }) => ({ status, ward_id, service_id }))).toEqual(kept);
      const [reporter] = await rowsOf<Record<string, unknown>>(sql`select email, first_name, phone, lat from open311_requests`);
      expect(reporter).toEqual({ email: null, first_name: null, phone: null, lat: null });
      expect(await rowsOf(sql`select email, first_name, last_name from open311_inbound_updates`)).toEqual([{ email: null, first_name: null, last_name: null }]);
      // The digest's figures: identical to the original's, and so to the copy's before the run; the dashboards' too.
      expect(await digestFigures(copy.db)).toEqual(original);
      expect(await dashboardFigures(copy.db)).toEqual(await dashboardFigures(t.core.dbh.db));
      const mirrored = await rowsOf<{ case_id: string }>(sql`select case_id from outbox where payload::text like '%ada@example.org%'`);
      expect(mirrored.map((m) => m.case_id)).toEqual([ids[5]]);
      expect((await runRetention({ db: copy.db, clock, policy }, { dryRun: true, actor: 'test' })).cases).toEqual([]);
      // The original was never touched.
      expect((await on(t.core.dbh.db)<{ n: number }>(sql`select count(*)::int as n from case_redactions`))[0]!.n).toBe(0);
    } finally {
      await copy.close();
    }
  }, 60_000);

  it('erases a person\'s details on request and records only that it happened', async () => {
    // A chat message in the workspace that mentions the person: found, then erased too.
    await ensureChannel(t.core.dbh.db, { id: 'general', name: 'councillors-general', kind: 'channel', personId: null, listening: true }, clock.now());
    await insertMessage(t.core.dbh.db, { channelId: 'general', threadId: null, authorId: null, text: 'Ada rang again from 07700 900 123 about the sofa' }, clock.now());
    expect((await exportSubject(t.core.dbh.db, { phone: '+44 7700 900123' }, { actor: 'test', at: clock.now() })).messages.map((m) => m.text)).toEqual(['Ada rang again from 07700 900 123 about the sofa']);
    const r = await eraseSubject(t.core.dbh.db, { phone: '07700 900123' }, { actor: 'officer', at: clock.now() });
    expect(r.cases).toBeGreaterThan(0);
    const left = await exportSubject(t.core.dbh.db, { phone: '07700900123' }, { actor: 'test', at: clock.now() });
    expect(left.cases).toEqual([]);
    const [open] = await rows<{ description: string }>(sql`select description from cases where id = ${ids[5]}`);
    expect(open!.description).toBe('Ada Lovelace ([removed on request]) says rubbish piles up at 5 Slade Road.');
    const erased = (await listAudit(t.core.dbh.db)).filter((a) => a.action === 'subject.erased');
    expect(erased).toEqual([expect.objectContaining({ actor: 'officer', detail: { by: 'phone', cases: r.cases, messages: 1 } })]);
    expect(JSON.stringify(await rows(sql`select text from workspace_messages`))).toContain('Ada rang again from [removed on request] about the sofa');
  });
});
