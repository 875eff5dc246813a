/**
 * 10^5 random requests (fast-check) at every route of a whole wardline (web + worker, Slack over
 * HTTP, Teams with tokens checked, the workspace) on real PostgreSQL and Redis, 32 at a time on
 * kept-alive connections. Prints requests/s, answers by status, connections closed unanswered by
 * kind, and every 500 with its logged cause; the baseline, in the same run, is GET /healthz on the
 * same connections. Prints, never asserts.
 *   npx tsx bench/http-fuzz.ts [--count 100000] [--seed 1] [--concurrency 32]
 */
import { Agent, request } from 'node:http';
import { INTERNAL_MESSAGE } from '../src/web/http-problem.js';
import { runHttpFuzz } from '../test/support/http-fuzz.js';
import { startFuzzApp } from '../test/support/http-fuzz-app.js';
import { fmt, startBenchServers } from './support.js';

const arg = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : dflt);
const COUNT = Number(arg('--count', '100000'));
const SEED = Number(arg('--seed', '1'));
const CONCURRENCY = Number(arg('--concurrency', '32'));

/** Requests per second of `n` GET /healthz, `CONCURRENCY` at a time on kept-alive connections. */
async function baseline(base: string, n: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let left = n;
  const started = performance.now();
  const lane = async () => {
    while (left-- > 0) {
      await new Promise<void>((ok, fail) => request(`${base}/healthz`, { agent }, (res) => { res.resume(); res.on('end', ok); }).on('error', fail).end());
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  agent.destroy();
  return n / ((performance.now() - started) / 1000);
}

const servers = await startBenchServers(`fuzz_${process.pid}`);
process.env.WARDLINE_TEST_DATABASE_URL = servers.databaseUrl;
process.env.WARDLINE_TEST_REDIS_URL = servers.redis.url;
const app = await startFuzzApp();
try {
  const healthRate = await baseline(app.url, Math.max(1000, Math.round(COUNT / 10)));
  const out = await runHttpFuzz({ base: app.url, world: app.world, count: COUNT, seed: SEED, concurrency: CONCURRENCY, internalMessage: INTERNAL_MESSAGE });
  const health = await fetch(`${app.url}/healthz`);
  const logged = app.errors.filter((e) => e.msg === 'request failed');
  console.log(`requests     ${out.total} in ${fmt(out.ms / 1000)} s = ${fmt(out.total / (out.ms / 1000), 0)} requests/s (seed ${SEED}, concurrency ${CONCURRENCY})`);
  console.log(`baseline     GET /healthz ${fmt(healthRate, 0)} requests/s; fuzz/baseline ${fmt(out.total / (out.ms / 1000) / healthRate, 2)}`);
  console.log(`by status    ${JSON.stringify(out.byStatus)}`);
  console.log(`closed       ${Object.values(out.closed).reduce((a, b) => a + b, 0)} unanswered: ${JSON.stringify(out.closed)}`);
  console.log(`500s         ${out.errors500.length} answered, ${logged.length} logged`);
  for (const e of logged.slice(0, 20)) console.log(`  cause: ${e.err?.type ?? ''} ${e.err?.message ?? ''}`);
  for (const e of out.errors500.slice(0, 20)) console.log(`  request: ${e.request}`);
  console.log(`violations   ${out.violations.length}`);
  for (const v of out.violations.slice(0, 20)) console.log(`  ${v.status} ${v.request}: ${v.body}`);
  console.log(`after        /healthz ${health.status}; process up`);
} finally {
  await app.stop();
  await servers.stop();
}
