import { describe, expect, it } from 'vitest';
import { ackPriority } from '../../src/bot/ack-priority.js';

const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));

describe('acks before handling', () => {
  it('lets handling go at once when nothing is arriving', async () => {
    const acks = ackPriority({ now: () => 0 });
    let done = false;
    void acks.giveWay().then(() => { done = true; });
    await tick(1);
    expect(done).toBe(true);
  });

  it('holds handling while events arrive, and lets it go after a quiet moment', async () => {
    let t = 0;
    const acks = ackPriority({ quietMs: 25, maxWaitMs: 250, now: () => t });
    acks.arrived();
    let done = false;
    void acks.giveWay().then(() => { done = true; });
    await tick();
    expect(done).toBe(false);
    t = 20;
    acks.arrived();
    t = 40;
    await tick();
    expect(done).toBe(false);
    t = 45;
    await tick(40);
    expect(done).toBe(true);
  });

  it('never holds handling longer than the cap, however long the burst', async () => {
    let t = 0;
    const acks = ackPriority({ quietMs: 25, maxWaitMs: 250, now: () => t });
    acks.arrived();
    let done = false;
    void acks.giveWay().then(() => { done = true; });
    for (; t < 240; t += 10) { acks.arrived(); await tick(3); }
    expect(done).toBe(false);
    t = 250;
    acks.arrived();
    await tick(40);
    expect(done).toBe(true);
  });
});
