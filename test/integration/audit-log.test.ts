import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importClusters } from '../../src/cli/import-actions.js';
import { loadConfig } from '../../src/config.js';
import { latestAudit, listAudit, recordAudit } from '../../src/db/audit-repo.js';
import type { DbHandle } from '../../src/db/client.js';
import { noteRetentionSettings } from '../../src/privacy/retention.js';
import { openCore } from '../../src/main.js';
import { retentionPolicy } from '../../src/privacy/retention-policy.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestDatabase } from '../support/test-db.js';

let h: DbHandle & { url: string };
beforeAll(async () => { h = await createTestDatabase(); }, 60_000);
afterAll(async () => { await h?.close(); });

const rows = async () => (await h.db.execute(sql`select id, actor, action from audit_log order by id`)) as unknown as { id: number; actor: string; action: string }[];

/** Every way of changing or removing audit entries, each refused by the database itself. */
async function expectAppendOnly(db: DbHandle['db']): Promise<void> {
  await expect(db.execute(sql`update audit_log set actor = 'someone else'`)).rejects.toMatchObject(REFUSED('UPDATE'));
  await expect(db.execute(sql`delete from audit_log`)).rejects.toMatchObject(REFUSED('DELETE'));
  await expect(db.execute(sql`truncate audit_log`)).rejects.toMatchObject(REFUSED('TRUNCATE'));
}

/** The database's own refusal, under drizzle's "Failed query". */
const REFUSED = (op: string) => ({ cause: expect.objectContaining({ message: `audit_log is append-only: ${op} is refused` }) });

describe('the audit log', () => {
  it('is append-only in the database: updates, deletes and truncation are refused, whoever asks (the embedded database: pglite-smoke.test.ts)', async () => {
    await recordAudit(h.db, { actor: 'ops@council.example', action: 'open311.key_created', detail: { name: 'FixMyStreet' } }, new Date('2026-12-01T10:00:00Z'));
    const before = await rows();
    await expectAppendOnly(h.db);
    // Not even inside a transaction that would otherwise commit.
    await expect(h.db.transaction(async (tx) => { await tx.execute(sql`delete from audit_log where action = 'open311.key_created'`); })).rejects.toMatchObject(REFUSED('DELETE'));
    expect(await rows()).toEqual(before);
    // Migrating again keeps the guard and the entries.
    await h.migrate();
    await expectAppendOnly(h.db);
    await recordAudit(h.db, { actor: 'ops@council.example', action: 'open311.key_revoked', detail: {} }, new Date('2026-12-02T10:00:00Z'));
    expect((await listAudit(h.db, { since: new Date('2026-12-02T00:00:00Z') })).map((e) => e.action)).toEqual(['open311.key_revoked']);
  });
});

describe('retention settings in the audit log', () => {
  const services = [{ id: 'street-cleaning', retentionMonths: 12 }, { id: 'housing-management', retentionMonths: null }, { id: 'parks' }];

  it('takes per-service retention from the catalogue over the environment, and refuses a service the catalogue does not know', () => {
    expect(retentionPolicy(24, 'street-cleaning=6,housing-management=72', services)).toEqual({ defaultMonths: 24, byService: { 'housing-management': 72, 'street-cleaning': 12 } });
    expect(() => retentionPolicy(24, 'street-cleanin=6', services)).toThrow(/RETENTION_MONTHS_BY_SERVICE names street-cleanin, not in the catalogue/);
  });

  it('records the policy in force when it first differs from the last one recorded, with what it was', async () => {
    const at = new Date('2026-12-03T03:30:00Z');
    const first = retentionPolicy(24, '', services);
    expect(await noteRetentionSettings(h.db, first, 'job:retention', at)).toBe(true);
    expect(await noteRetentionSettings(h.db, first, 'job:retention', at)).toBe(false);
    const changed = retentionPolicy(36, 'parks=6', services);
    expect(await noteRetentionSettings(h.db, changed, 'ops@council.example', at)).toBe(true);
    expect(await latestAudit(h.db, 'retention.settings')).toMatchObject({
      actor: 'ops@council.example',
      detail: { defaultMonths: 36, byService: { parks: 6, 'street-cleaning': 12 }, before: { defaultMonths: 24, byService: { 'street-cleaning': 12 } } },
    });
    expect(await noteRetentionSettings(h.db, retentionPolicy(36, 'parks=6', services), 'job:retention', at)).toBe(false);
  });
});

describe('directory and routing changes in the audit log', () => {
  it('writes the entry in the change\'s own transaction: no change without its entry', async () => {
    const core = await openCore(loadConfig({ DATABASE_URL: h.url }), createLogger('silent'));
    try {
      const text = 'cluster,name,wards\nnorth-east,North East,erdington;kingstanding\n';
      const o = { file: 'clusters.csv', at: new Date('2026-12-03T12:00:00Z'), audit: { actor: 'Jo Admin', action: 'clusters.imported', detail: { file: 'clusters.csv' } } };
      await h.db.execute(sql.raw(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$;
        create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit();`));
      await expect(importClusters(core.dbh.db, text, o)).rejects.toThrow();
      expect(await h.db.execute(sql`select id from clusters`)).toHaveLength(0);
      await h.db.execute(sql.raw('drop trigger refuse_audit on audit_log; drop function refuse_audit()'));
      expect(await importClusters(core.dbh.db, text, o)).toBe('Imported 1 clusters.');
      expect(await latestAudit(h.db, 'clusters.imported')).toMatchObject({ actor: 'Jo Admin', detail: { file: 'clusters.csv' } });
    } finally {
      await core.close();
    }
  });
});
