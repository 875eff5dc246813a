import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../src/catalogue/default-catalogue.js';
import type { DbHandle } from '../../src/db/client.js';
import { intakeExamples, intakeModels } from '../../src/db/tables.js';
import type { CouncilExample } from '../../src/intake/learning/council-examples.js';
import { loadShippedModel } from '../../src/intake/model/intake-model.js';
import { parseMessage } from '../../src/intake/parse-message.js';
import { runCli } from '../support/cli.js';
import { greenCrewExamples, wrongLabelExamples } from '../support/council-examples.js';
import { createTestDatabase } from '../support/test-db.js';

let dbh: DbHandle & { url: string };
let env: Record<string, string>;
beforeAll(async () => {
  dbh = await createTestDatabase();
  env = { DATABASE_URL: dbh.url };
  expect((await runCli(['seed', '--demo'], { env })).code).toBe(0);
}, 120_000);
afterAll(async () => { await dbh?.close(); });

const at = new Date('2026-12-01T10:00:00Z');
async function addExamples(list: CouncilExample[]): Promise<void> {
  await dbh.db.insert(intakeExamples).values(list.map((e) => ({
    key: `test:${e.id}`, source: 'correction', text: e.text, platform: e.platform, channelName: e.channelName, senderRole: e.senderRole,
    senderWards: e.senderWards, kind: e.kind, cases: e.cases, missing: e.missing, createdAt: at, updatedAt: at,
  })));
}
const inUse = async () => (await dbh.db.select({ version: intakeModels.version }).from(intakeModels).where(eq(intakeModels.inUse, true)))[0]?.version ?? null;
const parse = async (text: string) => {
  const r = await runCli(['parse'], { env, input: `${JSON.stringify({ id: 1, platform: 'slack', channel: 'escalations', sender: { role: 'councillor', wards: ['erdington'] }, text })}\n` });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { kind: string; cases: { ward: string; service: string }[] };
};
const NEW_SAYING = 'no sign of the green crew on Goosemoor Lane, Erdington';

describe('wardline intake retrain, models and rollback', () => {
  it('says there is nothing to learn from before the council has any examples', async () => {
    const r = await runCli(['intake', 'retrain'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Nothing new to learn from: the model in use \(\S+\) was trained on all 0 of this council's examples/);
    expect((await runCli(['intake', 'models'], { env })).stdout).toMatch(/^In use: the shipped model \S+\. This council's examples: 0/);
  }, 60_000);

  it('adopts a candidate that learnt the council\'s own word for a service, and parse uses it', async () => {
    const shipped = parseMessage({ text: NEW_SAYING, platform: 'slack' }, { sender: { role: 'councillor', wards: ['erdington'] }, channelName: 'escalations', catalogue: loadDefaultCatalogue(), model: loadShippedModel() });
    // The shipped model does not know the saying: it opens no case (takes it for chatter, or asks).
    expect([shipped.kind, shipped.cases]).toEqual([expect.stringMatching(/^(chatter|clarify)$/), []]);
    await addExamples(greenCrewExamples(40));
    const r = await runCli(['intake', 'retrain', '--folds', '3'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3-fold cross-validation \(seed 2026\), the same folds for both models: \d+ shipped messages and 40 of this council's held out/);
    expect(r.stdout).toMatch(/exact ward\+service\s+0\.\d{3}\s+0\.\d{3}/);
    expect(r.stdout).toMatch(/Adopted: 2026-\d\d-\d\d\.c1 is now in use/);
    const version = (await inUse())!;
    expect(version).toMatch(/\.c1$/);
    expect(await parse(NEW_SAYING)).toMatchObject({ kind: 'escalation', cases: [{ ward: 'erdington', service: 'refuse-collection' }] });
    const models = (await runCli(['intake', 'models'], { env })).stdout;
    expect(models).toContain(`In use: ${version} (since `);
    expect(models).toMatch(new RegExp(`\\*\\t${version.replace('.', '\\.')}\\tadopted\\t.*\\t40\\t0\\.\\d{3} / `));
  }, 600_000);

  it('refuses a worse candidate (deliberately wrong labels) and keeps the model in use', async () => {
    const before = await inUse();
    await addExamples(wrongLabelExamples(60, 1000));
    const r = await runCli(['intake', 'retrain', '--folds', '3', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { outcome: string; version: string; inUse: string; verdict: { adopt: boolean; council: { ok: boolean; candidate: number; inUse: number } } };
    expect(report).toMatchObject({ outcome: 'refused', inUse: before, verdict: { adopt: false, council: { measure: 'exact', ok: false } } });
    // Labels that contradict each other cannot be learnt: the candidate reproduces fewer of them than the model in use.
    expect(report.verdict.council.candidate).toBeLessThan(report.verdict.council.inUse);
    expect(await inUse()).toBe(before);
    const [refused] = await dbh.db.select().from(intakeModels).where(eq(intakeModels.version, report.version));
    expect(refused).toMatchObject({ outcome: 'refused', model: null, inUse: false, councilExamples: 100 });
    expect((await runCli(['intake', 'models'], { env })).stdout).toMatch(new RegExp(`\\t${report.version.replace('.', '\\.')}\\trefused\\t`));
  }, 600_000);

  it('rolls back to the shipped model and forward again; parse follows', async () => {
    const adopted = (await inUse())!;
    const back = await runCli(['intake', 'rollback', 'shipped'], { env });
    expect([back.code, back.stdout.trim()]).toEqual([0, `In use now: ${loadShippedModel().version}. Running wardline processes switch within a second.`]);
    expect(await inUse()).toBeNull();
    expect(await parse(NEW_SAYING)).toMatchObject({ kind: expect.stringMatching(/^(chatter|clarify)$/), cases: [] });
    expect((await runCli(['intake', 'rollback', adopted], { env })).code).toBe(0);
    expect(await inUse()).toBe(adopted);
    expect((await parse(NEW_SAYING)).cases).toEqual([{ ward: 'erdington', service: 'refuse-collection', urgent: false, location: 'Goosemoor Lane' }]);
    const refused = await runCli(['intake', 'rollback', '2020-01-01.c9'], { env });
    expect([refused.code, refused.stderr.trim()]).toEqual([1, 'wardline: There is no intake model 2020-01-01.c9; `wardline intake models` lists them.']);
  }, 240_000);
});
