import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { freePort } from '../../src/jobs/redis-server.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { repoRoot, runCli } from '../support/cli.js';
import { eventCallback, postToSlackEndpoint, SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from '../support/test-db.js';

/** Words that appear only in what people wrote; none may reach a log line at info or above. */
const SECRETS = ['Quockett', 'Zebulonia', 'Marrowfax', 'Thistlewaite', 'Pembrooksy', 'Failquery'];

/**
 * A real `wardline start` at LOG_LEVEL=info, driven through the workspace and signed Slack
 * events, including poison and a query the database refuses: every line it writes is searched.
 */
describe('message text in the logs', () => {
  let dbh: DbHandle & { url: string };
  let api: FakeSlackApi;
  let child: ChildProcess;
  let output = '';
  let base = '';

  beforeAll(async () => {
    dbh = await createTestDatabase();
    api = new FakeSlackApi();
    await api.start();
    expect((await runCli(['seed', '--demo'], { env: { DATABASE_URL: dbh.url } })).code).toBe(0);
    // The database refuses some cases, quoting them back in its error's detail as PostgreSQL does.
    await dbh.db.execute(sql.raw(`
      create function refuse_failquery() returns trigger language plpgsql as $$
      begin
        if new.description like '%Failquery%' then raise exception 'refused by a check' using detail = new.description; end if;
        return new;
      end $$;
      create trigger refuse_failquery before insert on cases for each row execute function refuse_failquery();`));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [`${repoRoot}bin/wardline.js`, 'start'], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: dbh.url, REDIS_URL: redisTestUrl(), WARDLINE_QUEUE_PREFIX: uniquePrefix('logs').replace(/:/g, '.'),
        LOG_LEVEL: 'info', PORT: String(port), WARDLINE_WORKSPACE: 'on',
        SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: api.url,
      },
    });
    child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > deadline) throw new Error(`not ready: ${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);
  afterAll(async () => { child?.kill('SIGKILL'); await api?.stop(); await dbh?.close(); });

  it('writes none of what people wrote at info level or above, whatever happened to it', async () => {
    const people = await (await fetch(`${base}/api/workspace/people`)).json() as { people: { id: string; name: string }[] };
    const cllr = people.people.find((p) => p.name === 'Cllr Amina Hussain')!.id;
    const say = (text: string) => fetch(`${base}/api/workspace/channels/dm-${cllr}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: cllr, text }),
    });
    const workspace = [
      'Fly-tipping outside Mrs Quockett\'s house on Slade Road, Erdington',
      'Fly-tipping outside Mrs Quockett\'s house on Slade Road, Erdington', // "Same as WL-…?"
      'Zebulonia says hello\u0000 there', // chatter, with a NUL
      'Graffiti on Marrowfax Close, Erdington, Failquery', // the database refuses the case
    ];
    for (const text of workspace) expect((await say(text)).status).toBe(201);
    const dm = (text: string) => eventCallback({ type: 'message', channel: 'DU0DEMO0001', user: 'U0DEMO0001', text, ts: api.nextTs(), channel_type: 'im' });
    const deep = JSON.stringify(dm('Pothole on Thistlewaite Road, Erdington')).replace('"event_context"', `"deep":${'['.repeat(10_000)}${']'.repeat(10_000)},"event_context"`);
    const slack = [
      JSON.stringify(dm('Overflowing bins on Thistlewaite Road, Erdington \uD800')),
      deep,
      JSON.stringify(dm('Street light out by Pembrooksy Park, Erdington, Failquery')),
    ];
    const statuses = [];
    for (const body of slack) statuses.push((await postToSlackEndpoint(base, body)).status);
    expect(statuses).toEqual([200, 400, 200]);
    // Wait for the flows to finish: the cases, the prompts and the apologies delivered.
    const deadline = Date.now() + 30_000;
    let last: unknown;
    const done = async () => {
      const [r] = await dbh.db.execute<{ handled: number; waiting: number; inbound: number }>(sql`select
        (select count(*)::int from processed_events) as handled, (select count(*)::int from outbox where status in ('pending','sending')) as waiting,
        (select count(*)::int from inbound_queue where status = 'pending') as inbound`) as unknown as { handled: number; waiting: number; inbound: number }[];
      last = r;
      return r!.handled >= 6 && r!.waiting === 0 && r!.inbound === 0;
    };
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`the flows did not finish: ${JSON.stringify(last)}\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    const lines = output.split('\n').filter(Boolean);
    const logged = lines.filter((l) => { try { return (JSON.parse(l) as { level: number }).level >= 30; } catch { return true; } });
    // The refused queries were logged (at error level) — without what was written.
    expect(logged.filter((l) => l.includes('chat event failed')).length).toBeGreaterThanOrEqual(2);
    expect(logged.some((l) => l.includes('refused a Slack request'))).toBe(true);
    for (const secret of SECRETS) expect(logged.filter((l) => l.includes(secret)), secret).toEqual([]);
  }, 120_000);
});
