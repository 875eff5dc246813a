/**
 * Exactly once under faults: a web and a worker process on real PostgreSQL and Redis take signed
 * Slack events (with Slack's retries) while the worker is killed with SIGKILL and restarted,
 * PostgreSQL is restarted and Redis is flushed. Prints events sent, cases opened (must be equal),
 * messages delivered twice (must be 0) and the urgent reminders that still fired. Prints, never asserts.
 *   npx tsx bench/chaos.ts [--events 2000] [--rate 60] [--urgent 5] [--quiet-timeout 900]
 */
import { runChaos } from '../test/support/chaos-run.js';

const arg = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : dflt);
const events = Number(arg('--events', '2000'));
const rate = Number(arg('--rate', '60'));
const urgent = Number(arg('--urgent', '5'));
const quietTimeoutMs = Number(arg('--quiet-timeout', '900')) * 1000;

const t0 = performance.now();
const r = await runChaos({ events, rate, urgent, quietTimeoutMs, log: (l) => console.log(`  ${l}`) });
console.log('faults:');
for (const f of r.faults) console.log(`  ${f}`);
console.log(`events sent                 ${r.sent} (${r.posts} requests, ${r.retries} Slack retries, ${r.gaveUp} given up)`);
console.log(`cases opened                ${r.cases} (equal to events sent: ${r.cases === r.sent ? 'yes' : 'NO'})`);
console.log(`messages delivered          ${r.messages}; delivered twice: ${r.deliveredTwice}`);
console.log(`urgent reminders fired      ${r.remindersFired} of ${r.urgent} (delivered to Slack: ${r.remindersDelivered})`);
console.log(`quiet ${r.quietAfterSeconds.toFixed(1)} s after the last send; whole run ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(0);
