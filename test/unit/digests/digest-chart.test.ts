import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDigestNotifier } from '../../../src/bot/job-notifiers.js';
import { renderTeamsMessage } from '../../../src/bot/teams/teams-cards.js';
import { digestTrendAlt, digestTrendChart } from '../../../src/digests/digest-chart.js';
import type { WardDigest } from '../../../src/digests/digest-model.js';

type El = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Decodes the PNGs wardline writes (8-bit RGBA, filter 0) into pixels. */
function decode(png: Buffer): { width: number; height: number; at(x: number, y: number): number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString() === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, at: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)] };
}

const digest = (counts: number[]): WardDigest => ({
  ward: { id: 'erdington', name: 'Erdington' }, week: '2026-W47',
  counts: { new: counts.at(-1)!, acknowledged: 0, resolved: 0, open: 0, overdue: 0 },
  trend: counts.map((n, i) => ({ week: `2026-W${43 + i}`, newCount: n })), trendNote: '', medians: [], oldestOpen: [], topIssues: [],
});

describe('the digest trend chart', () => {
  it('draws one bar per week, as tall as its count, this week in the dark colour', () => {
    const img = decode(digestTrendChart(digest([10, 5, 0, 20, 20])));
    expect([img.width, img.height]).toEqual([420, 210]);
    const base = img.height - 34;
    const column = (i: number) => Math.round((img.width / 5) * i + img.width / 10);
    const barTop = (i: number) => { let y = base - 1; while (y > 0 && img.at(column(i), y)[0] !== 255) y--; return base - 1 - y; };
    expect(barTop(3)).toBe(barTop(4));
    expect(Math.abs(barTop(0) - barTop(3) / 2)).toBeLessThanOrEqual(2);
    expect(Math.abs(barTop(1) - barTop(3) / 4)).toBeLessThanOrEqual(2);
    expect(img.at(column(2), base - 2)).toEqual([255, 255, 255, 255]); // no bar for none
    expect(img.at(column(4), base - 5)).toEqual([29, 53, 87, 255]);
    expect(img.at(column(3), base - 5)).not.toEqual([29, 53, 87, 255]);
  });

  it('says in words what it shows', () => {
    expect(digestTrendAlt(digest([1, 2, 3, 4, 5]))).toBe('New cases in Erdington by week: 2026-W43 1, 2026-W44 2, 2026-W45 3, 2026-W46 4, 2026-W47 5.');
  });

  it('goes with each digest, and Teams shows it in a card with its text alternative', () => {
    const d = digest([3, 4, 5, 6, 7]);
    const ctx = { directory: { byId: new Map([['p1', { id: 'p1', active: true, teamsUserId: 'aad', slackUserId: null, roles: ['manager'] }]]) } };
    const [msg] = createDigestNotifier({ platforms: ['teams'] })({ personId: 'p1', scope: 'ward', area: 'erdington', week: '2026-W47', digests: [d], context: ctx } as never);
    const message = (msg!.payload as El).render.message;
    expect(message.image.alt).toBe(digestTrendAlt(d));
    const card = renderTeamsMessage(message, { services: [], wards: [], assignees: [] }).activity.attachments![0]!.content as El;
    const image = card.body.find((b: El) => b.type === 'Image');
    expect(image.url).toBe(`data:image/png;base64,${digestTrendChart(d).toString('base64')}`);
    expect(image.altText).toBe(digestTrendAlt(d));
  });
});
