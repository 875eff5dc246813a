import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/jobs/redis-server.js';
import { repoRoot } from '../support/cli.js';
import { createTestDatabase, redisTestUrl } from '../support/test-db.js';

/**
 * What a process loads is what it needs: the Bot Framework (some 70 MB) only with Teams on, the
 * tracker and Open311 only in a process that serves HTTP. Each `wardline start` runs with a hook
 * that records every module it imports.
 */
const dir = mkdtempSync(join(tmpdir(), 'wardline-imports-'));
let databaseUrl: string;
beforeAll(async () => {
  const db = await createTestDatabase();
  databaseUrl = db.url;
  await db.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `wardline start --role <role>` until it is ready (web) or has run a while (worker); returns the modules it imported. */
async function importsOf(role: 'web' | 'worker', env: Record<string, string>): Promise<string[]> {
  const log = join(dir, `${role}-${Date.now()}.log`);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', `${repoRoot}test/support/record-imports.mjs`, `${repoRoot}bin/wardline.js`, 'start', '--role', role], {
    cwd: repoRoot, stdio: 'ignore',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, REDIS_URL: redisTestUrl(), PORT: String(port), LOG_LEVEL: 'warn', WARDLINE_IMPORTS_LOG: log, ...env },
  });
  try {
    const deadline = Date.now() + 90_000;
    const ready = async () => role === 'worker'
      ? readFileSync(log, { encoding: 'utf8', flag: 'a+' }).includes('outbox-delivery')
      : (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0)) === 200;
    while (!(await ready())) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`wardline start --role ${role} did not come up`);
      await new Promise((r) => setTimeout(r, 200));
    }
    if (role === 'worker') await new Promise((r) => setTimeout(r, 2000)); // its jobs and delivery loop started
  } finally {
    child.kill('SIGKILL');
  }
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

const BOT_FRAMEWORK = /node_modules\/(botbuilder|botframework-|@microsoft\/teams-ai)/;
const slackOnly = { SLACK_BOT_TOKEN: 'xoxb-imports', SLACK_SIGNING_SECRET: 'imports-secret' };

describe('lazy imports', () => {
  it('a Slack-only web process loads the tracker and Open311 but not the Bot Framework', async () => {
    const loaded = await importsOf('web', slackOnly);
    expect(loaded.some((u) => /\/web\/tracker\/mount\.(js|ts)$/.test(u))).toBe(true); // the recording works
    expect(loaded.some((u) => /\/main-open311\.(js|ts)$/.test(u))).toBe(true);
    expect(loaded.filter((u) => BOT_FRAMEWORK.test(u))).toEqual([]);
  }, 120_000);

  it('a worker loads neither the web front door, the tracker, Open311 nor the Bot Framework', async () => {
    const loaded = await importsOf('worker', slackOnly);
    expect(loaded.some((u) => /\/jobs\/outbox-delivery\.(js|ts)$/.test(u))).toBe(true);
    expect(loaded.filter((u) => /\/(main-web|main-open311)\.(js|ts)$|\/web\/tracker\/|\/web\/open311\//.test(u) || BOT_FRAMEWORK.test(u))).toEqual([]);
  }, 120_000);

  it('loads the Bot Framework when Teams is on', async () => {
    const loaded = await importsOf('web', { ...slackOnly, TEAMS_ALLOW_UNAUTHENTICATED: '1' });
    expect(loaded.some((u) => BOT_FRAMEWORK.test(u))).toBe(true);
  }, 120_000);
});
