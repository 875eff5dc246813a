/**
 * Soak of README's run command: `npm start` (PGlite + a managed redis-server) in a temp data dir on
 * a free port, driven through the workspace's JSON API by a councillor and the RM for N minutes
 * (default 30) while SLA sweeps, reminders and delivery run. Prints throughput, RSS every 30 s,
 * request latency and every stall (a request over 5 s, readyz not 200, a reply that never came).
 *
 *   npm run bench:soak -- --minutes 5
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/jobs/redis-server.js';
import { percentile, personas, SoakFlow, soakLoop, startRunCommand, waitReady, WorkspaceClient } from '../test/support/soak.js';

const arg = process.argv.indexOf('--minutes');
const minutes = arg > 0 ? Number(process.argv[arg + 1]) : 30;
if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes takes a positive number');

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'wardline-soak-'));
const run = startRunCommand({ dir, port: await freePort() });
try {
  const t0 = Date.now();
  if (!(await waitReady(run, 240_000))) throw new Error(`wardline did not become ready:\n${run.output()}`);
  console.log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; soaking for ${minutes} min (pid ${run.child.pid}, ${dir})`);
  const api = new WorkspaceClient(run.base);
  const flow = new SoakFlow(api, await personas(api));
  const started = Date.now();
  const end = started + minutes * 60_000;
  const rss: string[] = [];
  const sample = () => {
    const at = Math.round((Date.now() - started) / 1000);
    rss.push(`${at}s:${rssMb(run.child.pid!)}MB`);
    console.log(`  t=${at}s rss=${rssMb(run.child.pid!)} MB flows=${api.stats.flows} requests=${api.stats.requests} stalls=${api.stats.stalls.length} failures=${api.stats.failures.length}`);
  };
  sample();
  const timer = setInterval(sample, 30_000);
  await soakLoop(flow, api, { until: () => Date.now() > end });
  await flow.settleSlow().catch((e: Error) => api.stats.failures.push(`final resolve: ${e.message}`));
  clearInterval(timer);
  sample();
  const elapsedMin = (Date.now() - started) / 60_000;
  const stopAt = Date.now();
  run.child.kill('SIGTERM');
  const exit = await Promise.race([run.exited, new Promise<null>((ok) => setTimeout(() => ok(null), 10_000))]);
  const s = api.stats;
  console.log('\nwardline soak (README run command: PGlite + managed redis-server)');
  console.log(`  duration          ${elapsedMin.toFixed(1)} min`);
  console.log(`  flows             ${s.flows} (${(s.flows / elapsedMin).toFixed(1)} flows/min), ${s.references.length} cases, ${s.reminders} SLA reminders seen`);
  console.log(`  requests          ${s.requests}; latency p50 ${percentile(s.latenciesMs, 50).toFixed(0)} ms, p99 ${percentile(s.latenciesMs, 99).toFixed(0)} ms, max ${Math.max(...s.latenciesMs).toFixed(0)} ms`);
  console.log(`  RSS (every 30 s)  ${rss.join(' ')}`);
  console.log(`  stalls            ${s.stalls.length}${s.stalls.length ? `: ${s.stalls.slice(0, 10).join('; ')}` : ''}`);
  console.log(`  failures          ${s.failures.length}${s.failures.length ? `: ${s.failures.slice(0, 10).join('; ')}` : ''}`);
  console.log(`  references        ${s.references[0]} … ${s.references.at(-1)}`);
  console.log(`  SIGTERM → exit    ${exit ? `${((exit.at - stopAt) / 1000).toFixed(2)} s (code ${exit.code})` : 'NOT within 10 s'}`);
} finally {
  run.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
