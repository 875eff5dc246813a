import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockCaseNumbers, lockWardService } from '../../src/db/case-store.js';
import { openDatabase } from '../../src/db/client.js';
import { slackHarness } from '../contract/slack-harness.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { eventCallback, postToSlackEndpoint, SLACK_TEAM, SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example';
const CLLR2 = 'cllr.whitfield@birmingham.example';

/** One case per escalation under concurrency and faults, against real PostgreSQL. */
describe('exactly once', () => {
  let app: TestApp & { databaseUrl: string };
  let api: FakeSlackApi;
  let ids: Map<string, string>;
  let settle: () => Promise<void>;
  let cllr: string;
  const db = () => app.running.core.dbh.db;
  const rows = async <T>(q: ReturnType<typeof sql>) => (await db().execute(q)) as unknown as T[];
  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;
  const casesAt = (place: string) => count(sql`select count(*)::int as n from cases where location ilike ${`%${place}%`}`);
  const duplicatePrompts = () => count(sql`select count(*)::int as n from intake_drafts where parsed->>'kind' = 'duplicate'`);

  beforeAll(async () => {
    api = new FakeSlackApi();
    const apiUrl = await api.start();
    app = await startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl, WARDLINE_WORKSPACE: 'on' } });
    ({ ids, settle } = await slackHarness(app, api));
    cllr = (await app.running.core.loadContext()).directory.byEmail.get(CLLR)!.id;
  }, 120_000);
  afterAll(async () => { await app?.stop(); await api?.stop(); });

  it('opens one case for ten identical workspace messages sent at once, and asks "Same as" nine times', async () => {
    const prompts = await duplicatePrompts();
    const text = 'Fly-tipping on Witton Lodge Road, Erdington, mattresses';
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${app.url}/api/workspace/channels/dm-${cllr}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: cllr, text }),
    })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    await settle();
    expect(await casesAt('Witton Lodge')).toBe(1);
    expect(await duplicatePrompts() - prompts).toBe(9);
  });

  it('opens one case for ten identical Slack events from two councillors handled at once', async () => {
    const prompts = await duplicatePrompts();
    const bodies = Array.from({ length: 10 }, (_, i) => {
      const user = ids.get(i % 2 ? CLLR2 : CLLR)!;
      const m = api.addUserMessage(`D${user}`, user, 'Graffiti on the bus shelter, Reservoir Road, Erdington');
      return JSON.stringify(eventCallback({ type: 'message', channel: `D${user}`, user, text: m.text, ts: m.ts, event_ts: m.ts, channel_type: 'im' }));
    });
    const answers = await Promise.all(bodies.map((b) => postToSlackEndpoint(app.url, b)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await app.running.chat.slack!.idle();
    await settle();
    expect(await casesAt('Reservoir Road')).toBe(1);
    expect(await duplicatePrompts() - prompts).toBe(9);
  });

  it('keeps nothing of a turn whose commit fails after the case was opened, and opens the case once on the retry', async () => {
    // A fault at COMMIT, after the case, its messages and the processed mark were written.
    await db().execute(sql.raw(`
      create sequence fail_commit_calls;
      create or replace function fail_commit_once() returns trigger language plpgsql as $$
      begin
        if nextval('fail_commit_calls') = 1 then -- a sequence is not rolled back with the transaction
          raise exception 'injected commit failure' using errcode = '40001';
        end if;
        return null;
      end $$;
      create constraint trigger fail_commit_once after insert on cases deferrable initially deferred for each row execute function fail_commit_once();
    `));
    try {
      const user = ids.get(CLLR)!;
      const m = api.addUserMessage(`D${user}`, user, 'Fly-tipping on Goosemoor Lane, Erdington, sofas');
      const body = eventCallback({ type: 'message', channel: `D${user}`, user, text: m.text, ts: m.ts, event_ts: m.ts, channel_type: 'im' });
      expect((await postToSlackEndpoint(app.url, JSON.stringify(body))).status).toBe(200);
      await app.running.chat.slack!.idle();
      // The first attempt rolled back whole (case, messages, mark); the stored event is tried again.
      const deadline = Date.now() + 20_000;
      while (await casesAt('Goosemoor') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await settle();
      expect(await count(sql`select last_value::int as n from fail_commit_calls`)).toBe(2);
      expect(await casesAt('Goosemoor')).toBe(1);
      expect(await count(sql`select count(*)::int as n from processed_events where event_key = ${`${SLACK_TEAM}:${String(body.event_id)}`}`)).toBe(1);
      const confirmations = api.messages.filter((x) => x.channel === `D${user}` && x.user === null && /Goosemoor/.test(JSON.stringify(x.blocks)));
      expect(confirmations).toHaveLength(1);
      // Slack's retry afterwards is a repeat.
      await postToSlackEndpoint(app.url, JSON.stringify(body), { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      await app.running.chat.slack!.idle();
      await settle();
      expect(await casesAt('Goosemoor')).toBe(1);
    } finally {
      await db().execute(sql.raw('drop trigger if exists fail_commit_once on cases; drop function if exists fail_commit_once(); drop sequence if exists fail_commit_calls;'));
    }
  }, 60_000);

  it('a turn and a batch holding the numbering lock wait for each other in one order, never deadlocking', async () => {
    const waiting = () => count(sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
    let answered: Promise<Response> | null = null;
    // As a batch of stored events does, on a connection of its own: the numbering lock first, then a ward and service's lock.
    const other = await openDatabase({ databaseUrl: app.databaseUrl, dataDir: '' });
    await other.db.transaction(async (tx) => {
      await lockCaseNumbers(tx);
      answered = fetch(`${app.url}/api/workspace/channels/dm-${cllr}/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: cllr, text: 'Pothole on Kingsbury Road, Erdington, a deep one' }),
      });
      for (let i = 0; i < 300 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await waiting()).toBeGreaterThan(0);
      // The turn waits for the numbering lock before taking this one, so the batch gets it.
      await lockWardService(tx, 'erdington', 'highways-maintenance');
    }).finally(() => other.close());
    expect((await answered!).status).toBe(201);
    await settle();
    expect(await casesAt('Kingsbury Road')).toBe(1);
  });
});
