import { describe, expect, it } from 'vitest';
import { runChaos } from '../support/chaos-run.js';

/**
 * bench/chaos.ts, smaller: signed Slack events with Slack's retries while the worker is killed
 * with SIGKILL, PostgreSQL restarts and Redis is flushed. Every event is one case, no message is
 * delivered twice and the urgent reminders due meanwhile are sent.
 */
describe('exactly once under faults', () => {
  it('opens one case per event and delivers every message once through kills, a database restart and a Redis flush', async () => {
    const say = (line: string) => process.stderr.write(`chaos: ${line}\n`);
    const r = await runChaos({ events: 300, rate: 40, urgent: 3, quietTimeoutMs: 300_000, log: say });
    say(`sent ${r.sent}, cases ${r.cases}, messages ${r.messages}, delivered twice ${r.deliveredTwice}, gave up ${r.gaveUp}, reminders ${r.remindersFired}/${r.urgent} fired, ${r.remindersDelivered} delivered, quiet after ${r.quietAfterSeconds.toFixed(0)} s`);
    expect(r.faults).toHaveLength(4);
    expect(r.gaveUp).toBe(0);
    expect(r.cases).toBe(r.sent);
    expect(r.deliveredTwice).toBe(0);
    expect(r.messages).toBeGreaterThan(r.sent);
    expect(r.remindersFired).toBe(r.urgent);
    expect(r.remindersDelivered).toBe(r.urgent);
  }, 480_000);
});
