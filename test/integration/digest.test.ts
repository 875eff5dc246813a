import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueIndex } from '../../src/catalogue/catalogue.js';
import { loadCatalogue } from '../../src/db/catalogue-repo.js';
import { loadWardWeekAggregates } from '../../src/db/digest-repo.js';
import { cases } from '../../src/db/tables.js';
import { buildWardDigest, parseIsoWeek, previousWeeks } from '../../src/digests/digest-model.js';
import { renderDigestText } from '../../src/digests/render-text.js';
import { loadConfig } from '../../src/config.js';
import { openCore, type Core } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase } from '../support/test-db.js';
import { runCli } from '../support/cli.js';

const zone = 'Europe/London';
let core: Core;
let url: string;

const at = (iso: string) => new Date(iso);
type Row = typeof cases.$inferInsert;

beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  url = db.url;
  core = await openCore(loadConfig({ DATABASE_URL: db.url }), createLogger('silent'));
  const people = await seedFixtureDirectory(core.dbh.db);
  const raiser = people.get('cllr.erd@birmingham.example')!.id;
  const base = (over: Partial<Row>): Row => ({
    status: 'routed', urgency: 'normal', summary: 'Fly-tipping in the alley', description: 'x', raisedById: raiser,
    wardId: 'erdington', serviceId: 'waste-enforcement', topic: 'fly-tipping', createdAt: at('2026-11-17T10:00:00Z'),
    updatedAt: at('2026-11-17T10:00:00Z'), respondBy: at('2026-12-01T17:00:00Z'), ...over,
  });
  await core.dbh.db.insert(cases).values([
    // Week 2026-W47 is Monday 16 to Sunday 22 November.
    base({}),
    base({ acknowledgedAt: at('2026-11-17T12:00:00Z'), status: 'acknowledged' }),
    base({ topic: 'potholes', serviceId: 'highways-maintenance', acknowledgedAt: at('2026-11-18T10:00:00Z'), respondedAt: at('2026-11-19T10:00:00Z'), resolvedAt: at('2026-11-19T10:00:00Z'), status: 'resolved' }),
    base({ serviceId: 'community-safety', topic: 'anti-social behaviour', summary: 'Named resident intimidated', createdAt: at('2026-10-01T09:00:00Z'), respondBy: at('2026-10-15T16:00:00Z') }),
    base({ createdAt: at('2026-11-10T09:00:00Z') }),
    base({ createdAt: at('2026-11-03T09:00:00Z'), resolvedAt: at('2026-11-05T09:00:00Z'), status: 'resolved' }),
    base({ wardId: 'kingstanding', createdAt: at('2026-11-18T09:00:00Z') }),
    base({ createdAt: at('2026-11-23T09:00:00Z') }), // the next week: not counted
  ]);
});
afterAll(async () => { await core?.close(); });

describe('the weekly ward digest', () => {
  it('counts the week, the open and overdue cases, and the trend', async () => {
    const week = parseIsoWeek('2026-W47', zone);
    expect(week.start.toISOString()).toBe('2026-11-16T00:00:00.000Z');
    const [agg] = await loadWardWeekAggregates(core.dbh.db, { wardIds: ['erdington'], week, previous: previousWeeks(week, 4, zone) });
    const index = new CatalogueIndex(await loadCatalogue(core.dbh.db));
    const d = buildWardDigest(agg!, index, week);
    expect(d.counts).toEqual({ new: 3, acknowledged: 2, resolved: 1, open: 4, overdue: 1 });
    expect(d.trend.map((t) => t.newCount)).toEqual([0, 0, 1, 1, 3]);
    expect(d.topIssues[0]).toEqual({ topic: 'fly-tipping', count: 2 });
    expect(d.medians.find((m) => m.service.startsWith('Highways'))?.respondHours).toBe(48);
    // The oldest open case is community safety: counted, not described.
    expect(d.oldestOpen[0]).toMatchObject({ service: 'Community safety', summary: null });
    expect(renderDigestText(d)).not.toContain('Named resident');
  });

  it('aggregates every ward in one pass', async () => {
    const week = parseIsoWeek('2026-W47', zone);
    const all = await loadWardWeekAggregates(core.dbh.db, { wardIds: null, week, previous: previousWeeks(week, 4, zone) });
    expect(all.map((a) => a.wardId)).toEqual(['erdington', 'kingstanding']);
    expect(all[1]!.newCount).toBe(1);
  });

  it('refuses a week that is not an ISO week', () => {
    expect(() => parseIsoWeek('2026-47', zone)).toThrow(/ISO week/);
    expect(() => parseIsoWeek('2026-W54', zone)).toThrow(/ISO week/);
  });

  it('previews the digest as Slack and Teams would receive it, restricted cases counted but not described', async () => {
    const args = ['digest', 'preview', '--ward', 'erdington', '--week', '2026-W47', '--format'];
    const slack = await runCli([...args, 'slack'], { env: { DATABASE_URL: url } });
    expect(slack.code, slack.stderr).toBe(0);
    const { messages } = JSON.parse(slack.stdout) as { messages: { text: string; blocks: { type: string; text: { text: string } }[] }[] };
    const shown = messages.flatMap((m) => m.blocks.map((b) => b.text.text)).join('\n');
    expect(shown).toMatch(/Erdington/);
    expect(shown).not.toContain('Named resident intimidated');
    const teams = await runCli([...args, 'teams'], { env: { DATABASE_URL: url } });
    const { activities } = JSON.parse(teams.stdout) as { activities: { textFormat: string; text: string }[] };
    expect(activities[0]!.textFormat).toBe('plain');
    expect(activities[0]!.text).toMatch(/Erdington/);
  });
});
