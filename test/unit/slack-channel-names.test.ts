import { describe, expect, it } from 'vitest';
import { CHANNEL_NAME_TTL_MS, FAILED_LOOKUP_RETRY_MS, createChannelNames } from '../../src/bot/slack/channel-names.js';
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
    // The failure stands briefly, the old name still used; then Slack is asked again.
    clock.advance(FAILED_LOOKUP_RETRY_MS - 1);
    answers.push('erdington-east');
    expect([await names('C1'), calls]).toEqual(['erdington-north', 3]);
    clock.advance(1);
    expect([await names('C1'), calls]).toEqual(['erdington-east', 4]);
  });

  it('keeps a failure only briefly, and shares one lookup between events arriving together', async () => {
    let calls = 0;
    let fail = true;
    const clock = new FixedClock('2026-12-01T10:00:00Z');
    const names = createChannelNames(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('internal_error');
      return 'councillors-north';
    }, clock);
    expect(await Promise.all([names('C2'), names('C2'), names('C2')])).toEqual(['', '', '']);
    expect(calls).toBe(1);
    fail = false;
    // Events soon after a failure do not each ask Slack again…
    for (let i = 0; i < 5; i++) expect(await names('C2')).toBe('');
    expect(calls).toBe(1);
    // …and once the failure has stood its time, the next event asks and finds the name.
    clock.advance(FAILED_LOOKUP_RETRY_MS);
    expect([await names('C2'), calls]).toEqual(['councillors-north', 2]);
    // A lookup that answers "no such channel" (null) stands as briefly as an error.
    const none = createChannelNames(async () => { calls++; return null; }, clock);
    expect([await none('C3'), await none('C3'), calls]).toEqual(['', '', 3]);
  });
});
