import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSessionRepo } from '../../src/db/session-repo.js';
import { openCore, type Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { trackerDepsFromCore } from '../../src/web/tracker/mount.js';
import { registerTracker } from '../../src/web/tracker/tracker.js';
import { createWebApp } from '../../src/web/server.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase } from '../support/test-db.js';

/** RFC 4180, as a spreadsheet reads it: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  expect(quoted, 'a quote left open').toBe(false);
  expect(cell === '' && row.length === 0, 'the last line ends with CRLF').toBe(true);
  return rows;
}

const HEADER = ['reference', 'status', 'overdue', 'service', 'ward', 'summary', 'location', 'urgency', 'opened', 'acknowledge_by', 'respond_by', 'acknowledged', 'responded', 'resolved', 'with'];
/** Summaries a spreadsheet could misread: separators, quotes, line breaks, and formulas. */
const TRICKY = ['Bins, bags and boxes', 'The "big" pile', 'Line one\nline two', 'Carriage\r\nreturn', '=HYPERLINK("http://x","click")', '+44 123', '-1 bags', '@SUM(A1)', '\tTabbed', 'Plain'];
const CASES = 23;
const clock = new FixedClock('2026-11-02T10:00:00Z');

async function seed(core: Core): Promise<string> {
  const people = await seedFixtureDirectory(core.dbh.db);
  const raiser = people.get('cllr.erd@birmingham.example')!.id;
  for (let i = 0; i < CASES; i++) {
    await core.cases.openCase(raiser, {
      serviceId: asServiceId('waste-enforcement'), wardId: asWardId('erdington'), urgent: false, topic: 'litter',
      location: i % 4 === 0 ? 'Slade Road, "the bend"' : `Sladen Close ${i}`, summary: TRICKY[i % TRICKY.length]!, description: `Case ${i}`,
    });
  }
  return (await createSessionRepo(core.dbh.db).create(clock.now(), { personId: people.get('admin@birmingham.example')!.id, method: 'demo' })).id;
}

/** The export as a signed-in administrator downloads it, read `batch` cases at a time from the database. */
async function exportCsv(core: Core, session: string, batch: number, query = 'status=all'): Promise<string> {
  const app = await createWebApp({
    logger: core.logger, metrics: core.metrics, readiness: [],
    plugins: [(i) => registerTracker(i, { ...trackerDepsFromCore(core), demo: true, providers: [], csvBatchRows: batch })],
  });
  try {
    const res = await app.inject({ url: `/cases/export.csv?${query}`, headers: { cookie: `wl_session=${session}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    return res.body;
  } finally {
    await app.close();
  }
}

function checkExport(text: string): void {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  expect(header).toEqual(HEADER);
  expect(rows).toHaveLength(CASES);
  expect(rows.every((r) => r.length === HEADER.length)).toBe(true);
  // Oldest reference first, each once.
  const refs = rows.map((r) => Number(r[0]!.slice(3)));
  expect(refs).toEqual([...refs].sort((a, b) => a - b));
  expect(new Set(refs).size).toBe(CASES);
  // Each summary as it was written, but a formula's first character is defused with a quote.
  rows.forEach((r, i) => {
    const written = TRICKY[i % TRICKY.length]!;
    expect(r[5]).toBe(/^[=+\-@\t\r]/.test(written) ? `'${written}` : written);
    expect(r[6]).toBe(i % 4 === 0 ? 'Slade Road, "the bend"' : `Sladen Close ${i}`);
  });
}

async function exportsAgree(core: Core): Promise<void> {
  const session = await seed(core);
  const whole = await exportCsv(core, session, 1000);
  checkExport(whole);
  // Batches that split the cases unevenly, evenly, one by one, and exactly: the same bytes.
  for (const batch of [1, 4, 23, 5]) expect(await exportCsv(core, session, batch), `batch ${batch}`).toBe(whole);
  // A filter that matches nothing still gives the header.
  expect(await exportCsv(core, session, 4, 'status=all&q=nowhere')).toBe(`\uFEFF${HEADER.join(',')}\r\n`);
}

describe('the cases CSV export', () => {
  it('on PostgreSQL (a server-side cursor) gives every case once, quoted and defused, whatever the batch size', async () => {
    const db = await createTestDatabase();
    await db.close();
    const core = await openCore(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), createLogger('silent'), { clock });
    try {
      await exportsAgree(core);
    } finally {
      await core.close();
    }
  }, 120_000);

  const dir = mkdtempSync(join(tmpdir(), 'wardline-csv-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('on embedded PGlite (keyset batches) gives the same', async () => {
    const core = await openCore(loadConfig({ WARDLINE_DATA_DIR: dir, LOG_LEVEL: 'silent' }), createLogger('silent'), { clock });
    try {
      await exportsAgree(core);
    } finally {
      await core.close();
    }
  }, 120_000);
});
