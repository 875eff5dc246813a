import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { listAudit, recordAudit } from '../../src/db/audit-repo.js';
import { openDatabase } from '../../src/db/client.js';
import { openCore } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedFixtureDirectory } from '../support/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'wardline-pglite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded PGlite database', () => {
  it('runs the migrations and a whole case lifecycle, and refuses a second opener', async () => {
    const clock = new FixedClock('2026-11-02T10:00:00Z');
    const core = await openCore(loadConfig({ WARDLINE_DATA_DIR: dir }), createLogger('silent'), { clock });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'db.locked' });
      const people = await seedFixtureDirectory(core.dbh.db);
      const id = (e: string) => people.get(`${e}@birmingham.example`)!.id;
      let c = await core.cases.openCase(id('cllr.erd'), {
        serviceId: asServiceId('waste-enforcement'), wardId: asWardId('erdington'), urgent: true,
        summary: 'Fly-tipping blocking the pavement', description: 'Fly-tipping blocking the pavement on Slade Road',
      });
      expect(c.status).toBe('routed');
      c = await core.cases.acknowledge(c.id, id('rm.ward'));
      c = await core.cases.addUpdate(c.id, id('rm.ward'), 'On our way');
      c = await core.cases.resolve(c.id, id('rm.ward'), 'Cleared');
      c = await core.cases.close(c.id, id('rm.ward'));
      expect(c.status).toBe('closed');
      expect((await core.cases.timeline(c.id)).map((e) => e.type)).toEqual(['opened', 'acknowledged', 'update', 'resolved', 'closed']);
      // The audit log is append-only here too: the database refuses changing or removing entries.
      await recordAudit(core.dbh.db, { actor: 'ops', action: 'subject.exported', detail: {} });
      for (const q of [sql`update audit_log set actor = 'x'`, sql`delete from audit_log`, sql`truncate audit_log`]) {
        await expect(core.dbh.db.execute(q)).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/^audit_log is append-only/) }) });
      }
      expect(await listAudit(core.dbh.db)).toHaveLength(1);
    } finally {
      await core.close();
    }
    // After closing, the lock is released and the data is still there.
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  }, 60_000);
});
