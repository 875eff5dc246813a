import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_MESSAGE } from '../../src/web/http-problem.js';
import { runHttpFuzz } from '../support/http-fuzz.js';
import { startFuzzApp, type FuzzApp } from '../support/http-fuzz-app.js';

/**
 * 10^4 random requests here (HTTP_FUZZ_COUNT to change); bench/http-fuzz.ts sends 10^5.
 * HTTP_FUZZ_SEED repeats a run.
 */
const COUNT = Number(process.env.HTTP_FUZZ_COUNT ?? 10_000);
const SEED = Number(process.env.HTTP_FUZZ_SEED ?? Date.now() % 1_000_000);

let app: FuzzApp;
beforeAll(async () => { app = await startFuzzApp(); }, 120_000);
afterAll(async () => { await app?.stop(); });

describe('the front door under random requests', () => {
  it(`stays up and answers each of ${COUNT} random requests with 2xx-4xx or a logged 500 (seed ${SEED})`, async () => {
    const out = await runHttpFuzz({ base: app.url, world: app.world, count: COUNT, seed: SEED, concurrency: 32, internalMessage: INTERNAL_MESSAGE });
    const logged500 = app.errors.filter((e) => e.msg === 'request failed');
    console.log(JSON.stringify({ seed: SEED, ms: Math.round(out.ms), byStatus: out.byStatus, closed: out.closed, closedExamples: out.closedExamples, errors500: out.errors500.slice(0, 5), causes: logged500.slice(0, 5).map((e) => e.err?.message) }, null, 1));
    expect(out.violations).toEqual([]);
    expect(logged500.length).toBeGreaterThanOrEqual(out.errors500.length);
    // Connections closed unanswered: only those of requests that break HTTP framing (sent alone).
    expect(Object.keys(out.closed).filter((k) => k.startsWith('shared'))).toEqual([]);
    const answered = Object.values(out.byStatus).reduce((a, b) => a + b, 0);
    expect(answered + Object.values(out.closed).reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(out.errors500).toEqual([]);
  }, 600_000);
});
