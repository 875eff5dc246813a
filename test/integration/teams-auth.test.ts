import { generateKeyPairSync } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { chatPlatforms } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { postActivity, TEAMS_TENANT, teamsHarness } from '../contract/teams-harness.js';
import { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { FakeBotIdentity } from '../fakes/fake-bot-identity.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';

describe('Teams with Bot Framework authentication', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let identity: FakeBotIdentity;
  let aad: string;
  const logLines: string[] = [];
  // Set before the app starts: what reaches it was printed (the adapter filters what botframework writes).
  const printedErrors = vi.spyOn(console, 'error');
  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (d: Buffer) => logLines.push(...d.toString().split('\n').filter(Boolean)));
    connector = new FakeBotConnector();
    identity = new FakeBotIdentity();
    await connector.start();
    await identity.start();
    app = await startTestApp({ env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'test-secret', TEAMS_OPENID_METADATA_URL: identity.metadataUrl, TEAMS_SERVICE_URL: connector.url }, logger: createLogger('info', logStream) });
    aad = (await teamsHarness(app, connector)).ids.get('cllr.hussain@birmingham.example')!;
  }, 120_000);
  afterAll(async () => { printedErrors.mockRestore(); await app?.stop(); await connector?.stop(); await identity?.stop(); });

  const activity = (id: string) => ({
    type: 'message', id, text: 'Fly-tipping on Slade Road, Erdington', serviceUrl: connector.url, channelId: 'msteams',
    from: { id: `29:${aad}`, aadObjectId: aad }, recipient: { id: `28:${APP_ID}` }, conversation: { id: `a:${aad}`, conversationType: 'personal', tenantId: TEAMS_TENANT },
  });
  const cases = async () => ((await app.running.core.dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from cases`)) as unknown as { n: number }[])[0]!.n;

  it('refuses requests without a token, with a malformed one, signed by another key, for another bot or expired: 401, nothing stored', async () => {
    const before = await cases();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const bad: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not.a.token' },
      { authorization: `Bearer ${identity.token({ audience: APP_ID, serviceUrl: connector.url, key: other })}` },
      { authorization: `Bearer ${identity.token({ audience: 'someone-else', serviceUrl: connector.url })}` },
      { authorization: `Bearer ${identity.token({ audience: APP_ID, serviceUrl: connector.url, expiresIn: -3600 })}` },
      { authorization: `Bearer ${identity.token({ audience: APP_ID, serviceUrl: 'https://elsewhere.example/' })}` },
    ];
    for (const [i, headers] of bad.entries()) {
      const r = await postActivity(app.url, activity(`bad-${i}`), headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
    }
    expect(await cases()).toBe(before);
  });

  it('refuses a request with no token before the Bot Framework library sees it: no stack trace printed', async () => {
    const printed = vi.spyOn(console, 'error');
    try {
      for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }] as Record<string, string>[]) {
        const r = await postActivity(app.url, activity('no-token'), headers);
        expect(r.status).toBe(401);
      }
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('refuses a present but invalid token with 401 and one line in the log, no stack trace printed', async () => {
    printedErrors.mockClear();
    const stderr = vi.spyOn(process.stderr, 'write');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const tokens = ['not.a.token', identity.token({ audience: APP_ID, serviceUrl: connector.url, key: other }), identity.token({ audience: APP_ID, serviceUrl: connector.url, expiresIn: -3600 })];
    try {
      for (const token of tokens) {
        const linesBefore = logLines.length;
        const r = await postActivity(app.url, activity('bad-token'), { authorization: `Bearer ${token}` });
        expect(r.status).toBe(401);
        await new Promise((ok) => setImmediate(ok));
        const lines = logLines.slice(linesBefore).map((l) => JSON.parse(l) as Record<string, unknown>);
        const refused = lines.filter((l) => /Teams|token/i.test(String(l.msg)) || Number(l.level) >= 50);
        expect(refused.map((l) => l.msg)).toEqual(['Teams request refused: its token did not check out']);
        expect(JSON.stringify(refused)).not.toMatch(/\bat \S+ \(|stack/);
      }
      expect(printedErrors).not.toHaveBeenCalled();
      expect(stderr.mock.calls.map((c) => String(c[0])).filter((t) => /\n\s+at |BEGIN RSA/.test(t))).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('takes a request with a valid token from the (local) Bot Framework issuer', async () => {
    const before = await cases();
    const r = await postActivity(app.url, activity('good-1'), { authorization: `Bearer ${identity.token({ audience: APP_ID, serviceUrl: connector.url })}` });
    expect(r.status).toBe(200);
    expect(await cases()).toBe(before + 1);
  });

  it('will not turn Teams on without an app id unless told to, and then only with a warning', () => {
    expect(chatPlatforms(loadConfig({}))).not.toContain('teams');
    expect(chatPlatforms(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: '1' }))).toContain('teams');
    expect(() => loadConfig({ MICROSOFT_APP_ID: APP_ID })).toThrow(/MICROSOFT_APP_PASSWORD/);
  });
});
