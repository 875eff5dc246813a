import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { channelsFor } from '../../src/db/workspace-repo.js';
import { startWardline, type Running } from '../../src/main.js';
import { FakeBotIdentity } from '../fakes/fake-bot-identity.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { runCli } from './cli.js';
import { SLACK_TEST_SECRET } from './slack-requests.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from './test-db.js';
import type { FuzzWorld } from './http-fuzz.js';

export interface FuzzApp {
  running: Running;
  url: string;
  world: FuzzWorld;
  /** The server's error-level log lines ("request failed" and what caused it). */
  errors: { msg: string; err?: { message?: string; type?: string } }[];
  stop(): Promise<void>;
}

/**
 * A whole wardline with every route on: Slack over HTTP (fake Web API), Teams with Bot Framework
 * tokens checked (a fake issuer, so a stranger's request is refused), and the workspace.
 */
export async function startFuzzApp(): Promise<FuzzApp> {
  const db = await createTestDatabase();
  await db.close();
  const seeded = await runCli(['seed', '--demo'], { env: { DATABASE_URL: db.url } });
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  const slackApi = new FakeSlackApi();
  const identity = new FakeBotIdentity();
  const apiUrl = await slackApi.start();
  await identity.start();
  const errors: FuzzApp['errors'] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n').filter(Boolean)) errors.push(JSON.parse(l)); done(); } });
  const config = loadConfig({
    DATABASE_URL: db.url, REDIS_URL: redisTestUrl(), PORT: '0', WARDLINE_WORKSPACE: 'on',
    SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl,
    MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555', MICROSOFT_APP_PASSWORD: 'test-secret', TEAMS_OPENID_METADATA_URL: identity.metadataUrl,
  });
  const running = await startWardline(config, pino({ level: 'error' }, sink), 'all', { queuePrefix: uniquePrefix('fuzz') });
  const ctx = await running.core.loadContext();
  const personIds = ctx.directory.people.filter((p) => p.active).map((p) => p.id);
  const world: FuzzWorld = {
    personIds,
    channelIds: (await channelsFor(running.core.dbh.db, personIds[0]!)).map((c) => c.id),
    slackSecret: SLACK_TEST_SECRET,
  };
  return {
    running, url: running.web!.url, world, errors,
    stop: async () => { await running.stop(); await slackApi.stop(); await identity.stop(); },
  };
}
