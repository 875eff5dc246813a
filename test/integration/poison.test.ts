import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundBatcher } from '../../src/db/inbound-repo.js';
import { safeError } from '../../src/shared/logger.js';
import { inboundQueue } from '../../src/db/tables.js';
import { slackHarness } from '../contract/slack-harness.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { eventCallback, eventId, postToSlackEndpoint, SLACK_TEAM, SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example';

/** Events holding what PostgreSQL cannot store are cleaned, refused or parked alone; good ones go on. */
describe('poison events', () => {
  let app: TestApp;
  let api: FakeSlackApi;
  let ids: Map<string, string>;
  let settle: () => Promise<void>;
  const rows = async <T>(q: ReturnType<typeof sql>) => (await app.running.core.dbh.db.execute(q)) as unknown as T[];
  const caseCount = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from cases`))[0]!.n;
  const dmBody = (text: string, id = eventId()) => {
    const user = ids.get(CLLR)!;
    const m = api.addUserMessage(`D${user}`, user, text);
    return eventCallback({ type: 'message', channel: `D${user}`, user, text, ts: m.ts, event_ts: m.ts, channel_type: 'im' }, id);
  };

  beforeAll(async () => {
    api = new FakeSlackApi();
    const apiUrl = await api.start();
    app = await startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl, WARDLINE_WORKSPACE: 'on' } });
    ({ ids, settle } = await slackHarness(app, api));
  }, 120_000);
  afterAll(async () => { await app?.stop(); await api?.stop(); });

  it('opens the case of a signed event whose text holds NUL and a lone surrogate, with those cleaned out', async () => {
    const before = await caseCount();
    const r = await postToSlackEndpoint(app.url, JSON.stringify(dmBody('Fly-tipping\u0000 on Kingsbury Road, Erdington \uD83D again')));
    expect(r.status).toBe(200);
    await app.running.chat.slack!.idle();
    await settle();
    expect(await caseCount()).toBe(before + 1);
    const [c] = await rows<{ description: string }>(sql`select description from cases order by seq desc limit 1`);
    expect(c!.description).toBe('Fly-tipping on Kingsbury Road, Erdington \uFFFD again');
  });

  it('refuses an event nested 10,000 deep with 400 while good events sent with it are stored and handled', async () => {
    const before = await caseCount();
    const deep = dmBody('Fly-tipping on Marsh Lane, Erdington');
    const nested = JSON.stringify(deep).replace('"event_context"', `"deep":${'['.repeat(10_000)}${']'.repeat(10_000)},"event_context"`);
    const good = Array.from({ length: 12 }, (_, i) => JSON.stringify(dmBody(`Graffiti on wall ${i + 1} of Gravelly Lane, Erdington`)));
    const answers = await Promise.all([...good.slice(0, 6), nested, ...good.slice(6)].map((b) => postToSlackEndpoint(app.url, b)));
    expect(answers.map((a) => a.status)).toEqual([...Array(6).fill(200), 400, ...Array(6).fill(200)]);
    expect(JSON.parse(answers[6]!.body)).toMatchObject({ error: 'invalid_body' });
    await app.running.chat.slack!.idle();
    await settle();
    expect((await rows(sql`select 1 from inbound_queue where event_key = ${`${SLACK_TEAM}:${String(deep.event_id)}`}`)).length).toBe(0);
    expect(await caseCount()).toBeGreaterThan(before);
    const pending = await rows<{ n: number }>(sql`select count(*)::int as n from inbound_queue where status <> 'done'`);
    expect(pending[0]!.n).toBe(0);
  });

  it('stores the good rows of a batch the database refuses and parks each bad row alone as failed, with the reason', async () => {
    const store = inboundBatcher(app.running.core.dbh.db, 'slack', () => new Date(), 50, 25);
    // Straight to the store, past the receiver's cleaning: what the database itself refuses.
    const bodies = Array.from({ length: 25 }, (_, i) => ({ key: `batch:${i}`, body: { event_id: `batch-${i}`, text: `good ${i}` } as Record<string, unknown> }));
    bodies[3]!.body = { text: 'has a NUL \u0000 in it' };
    bodies[17]!.body = { text: 'lone \uD800 surrogate' };
    const outcomes = await Promise.all(bodies.map((b) => store(b.key, b.body)));
    expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(23);
    expect(outcomes[3]).toMatchObject({ kind: 'parked', reason: expect.stringMatching(/SQLSTATE 22/) });
    expect(outcomes[17]!.kind).toBe('parked');
    const parked = await rows<{ event_key: string; body: unknown; last_error: string }>(sql`select event_key, body, last_error from ${inboundQueue} where status = 'failed' and event_key like 'batch:%' order by event_key`);
    expect(parked.map((p) => p.event_key)).toEqual(['batch:17', 'batch:3']);
    expect(parked.every((p) => p.body === null && /refused/.test(p.last_error))).toBe(true);
    // A retry of a parked event is a repeat: Slack stops resending it.
    expect(await store('batch:3', { text: 'again' })).toEqual({ kind: 'repeat' });
    await app.running.core.dbh.db.execute(sql`delete from inbound_queue where event_key like 'batch:%'`);
  });

  it('logs a failed query without its parameters or the refused value', async () => {
    const secret = 'Mrs Quill at 14 Hollyhock Close';
    const failure = await app.running.core.dbh.db.insert(inboundQueue)
      .values({ platform: 'slack', eventKey: 'x', body: { text: `${secret} \u0000` }, receivedAt: new Date(), nextAttemptAt: new Date() })
      .then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure)) + String((failure as Error).message)).toContain('Hollyhock');
    const logged = JSON.stringify(safeError(failure));
    expect(logged).not.toContain('Hollyhock');
    expect(logged).toContain('22P05');
  });
});
