import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/jobs/redis-server.js';
import { personas, sleep, SoakFlow, soakLoop, startRunCommand, waitReady, WorkspaceClient, type RunCommand } from '../support/soak.js';

/** Minutes of flow in all (split over two runs on one data dir); `npm run bench:soak` runs longer. */
const MINUTES = Number(process.env.WARDLINE_SOAK_MINUTES ?? 2.5);
const dir = mkdtempSync(join(tmpdir(), 'wardline-soak-'));
const runs: RunCommand[] = [];
afterAll(() => {
  for (const r of runs) r.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startAndWait(): Promise<RunCommand> {
  const run = startRunCommand({ dir, port: await freePort() });
  runs.push(run);
  expect(await waitReady(run, 240_000), run.output()).toBe(true);
  return run;
}

/** Runs the flow for `ms` while a watcher checks /readyz every 5 s. */
async function soak(flow: SoakFlow, api: WorkspaceClient, ms: number, first: number): Promise<number> {
  const end = Date.now() + ms;
  let round = first;
  const watch = (async () => { while (Date.now() < end) { await api.ready(); await sleep(5000); } })();
  await soakLoop(flow, api, { until: () => { if (Date.now() > end) return true; round++; return false; }, first });
  await watch;
  return round;
}

const refNumber = (r: string) => Number(r.slice(3));

describe('README\'s run command under a soak (npm start: PGlite + managed redis-server)', () => {
  it('answers every request, stays ready and delivers every reply; stops in under 5 s when busy; carries on after a restart', async () => {
    const first = await startAndWait();
    const api = new WorkspaceClient(first.base);
    const who = await personas(api);
    const flow = new SoakFlow(api, who);
    const next = await soak(flow, api, MINUTES * 0.6 * 60_000, 0);
    await flow.settleSlow();
    const before = [...api.stats.references];

    // SIGTERM while requests are in flight.
    const busy = new WorkspaceClient(first.base);
    const inFlight = Promise.allSettled(Array.from({ length: 8 }, (_, i) =>
      busy.call(`/channels/dm-${who.cllr}/messages`, { as: who.cllr, text: i % 2 ? 'my cases' : 'who covers fly-tipping in Erdington' })));
    await sleep(100);
    const termAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await Promise.race([first.exited, sleep(10_000).then(() => null)]);
    await inFlight;
    expect(exit, first.output()).not.toBeNull();
    expect.soft((exit!.at - termAt) / 1000, 'seconds from SIGTERM to exit while busy').toBeLessThan(5);

    const second = await startAndWait();
    api.base = second.base;
    await soak(flow, api, MINUTES * 0.4 * 60_000, next);
    await flow.settleSlow();
    const after = api.stats.references.slice(before.length);

    expect.soft(api.stats.stalls).toEqual([]);
    expect(api.stats.failures).toEqual([]);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    // References carry on from where the first run stopped, with no jump.
    const last = Math.max(...before.map(refNumber));
    expect(refNumber(after[0]!)).toBe(last + 1);
    if (MINUTES >= 2) expect(api.stats.reminders).toBeGreaterThan(0);

    const termAgain = Date.now();
    second.child.kill('SIGTERM');
    const exit2 = await Promise.race([second.exited, sleep(10_000).then(() => null)]);
    expect(exit2 && (exit2.at - termAgain) / 1000, 'seconds from SIGTERM to exit').toBeLessThan(5);
  }, (MINUTES * 60 + 900) * 1000);
});
