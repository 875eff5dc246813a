import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createSessionRepo } from '../../src/db/session-repo.js';
import { channelsFor } from '../../src/db/workspace-repo.js';
import { startWardline, type Running } from '../../src/main.js';
import { createClientKey } from '../../src/open311/open311-admin.js';
import { asPersonId, asServiceId, asWardId } from '../../src/shared/ids.js';
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
 * tokens checked (a fake issuer, so a stranger's request is refused), the workspace, the Ward
 * Action Tracker (demo sign-in: a session for each of several roles) and Open311 (an api_key).
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
  const people = ctx.directory.people.filter((p) => p.active);
  const personIds = people.map((p) => p.id);
  const core = running.core;
  // Signed in to the tracker as an admin, a manager, a WAC, an RM and a councillor.
  const sessionRepo = createSessionRepo(core.dbh.db);
  const sessions: FuzzWorld['sessions'] = [];
  for (const role of ['admin', 'manager', 'wac', 'rm', 'councillor'] as const) {
    const who = people.find((p) => p.roles.includes(role));
    if (!who) continue;
    const s = await sessionRepo.create(core.clock.now(), { personId: who.id, method: 'demo' });
    sessions.push({ cookie: `wl_session=${s.id}`, csrf: s.csrfToken });
  }
  const { key } = await createClientKey(core.dbh.db, { name: 'FixMyStreet', ratePerMinute: 100_000, actor: 'test', at: core.clock.now() });
  core.invalidateContext();
  const councillor = people.find((p) => p.roles.includes('councillor'))!;
  const refs: string[] = [];
  for (const [serviceId, wardId] of [['waste-enforcement', 'erdington'], ['housing-management', 'erdington'], ['street-cleaning', 'kingstanding']] as const) {
    const c = await core.cases.openCase(asPersonId(councillor.id), { serviceId: asServiceId(serviceId), wardId: asWardId(wardId), urgent: false, summary: 'Fuzz case', description: 'Fuzz case' });
    refs.push(c.reference);
  }
  const world: FuzzWorld = {
    personIds,
    channelIds: (await channelsFor(core.dbh.db, personIds[0]!)).map((c) => c.id),
    slackSecret: SLACK_TEST_SECRET,
    sessions, open311Key: key, refs,
    wardIds: [...ctx.index.catalogue.wards.slice(0, 5).map((w): string => w.id), 'erdington'],
    serviceIds: [...ctx.index.catalogue.services.slice(0, 5).map((x): string => x.id), 'waste-enforcement', 'housing-management'],
  };
  return {
    running, url: running.web!.url, world, errors,
    stop: async () => { await running.stop(); await slackApi.stop(); await identity.stop(); },
  };
}
