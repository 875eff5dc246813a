import { describe, expect, it } from 'vitest';
import { CHANNEL_NAME_TTL_MS, createChannelNames } from '../../src/bot/slack/channel-names.js';
import { FixedClock } from '../../src/shared/clock.js';

describe('Slack channel names', () => {
  it('keeps a name for a while, looks it up again after, and keeps the old name if that lookup fails', async () => {
    const clock = new FixedClock('2026-12-01T10:00:00Z');
    const answers: (string | Error)[] = ['erdington-ward', 'erdington-north', new Error('ratelimited')];
    let calls = 0;
    const names = createChannelNames(async () => {
      calls++;
      const a = answers.shift()!;
      if (a instanceof Error) throw a;
      return a;
    }, clock);
    expect(await names('C1')).toBe('erdington-ward');
    clock.advance(CHANNEL_NAME_TTL_MS - 1);
    expect([await names('C1'), calls]).toEqual(['erdington-ward', 1]);
    clock.advance(1);
    expect([await names('C1'), calls]).toEqual(['erdington-north', 2]);
    clock.advance(CHANNEL_NAME_TTL_MS);
    expect([await names('C1'), calls]).toEqual(['erdington-north', 3]);
  });

  it('does not keep a failure, and shares one lookup between events arriving together', async () => {
    let calls = 0;
    let fail = true;
    const names = createChannelNames(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('internal_error');
      return 'councillors-north';
    }, new FixedClock('2026-12-01T10:00:00Z'));
    expect(await Promise.all([names('C2'), names('C2'), names('C2')])).toEqual(['', '', '']);
    expect(calls).toBe(1);
    fail = false;
    expect([await names('C2'), calls]).toEqual(['councillors-north', 2]);
  });
});
