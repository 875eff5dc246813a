import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../src/bot/slack/slack-verify.js';

const secret = 'test-signing-secret';
const sign = (body: string, ts: number, key = secret) => `v0=${createHmac('sha256', key).update(`v0:${ts}:${body}`).digest('hex')}`;
const now = Date.UTC(2026, 10, 22, 12, 0, 0);
const nowS = Math.floor(now / 1000);
const body = '{"type":"event_callback","event_id":"Ev1"}';

describe('verifySlackSignature', () => {
  it('accepts a correctly signed fresh request', () => {
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, signature: sign(body, nowS), timestamp: String(nowS), nowMs: now })).toEqual({ ok: true });
  });

  it('refuses a bad signature, a tampered body and a missing header', () => {
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, signature: sign(body, nowS, 'other'), timestamp: String(nowS), nowMs: now }).ok).toBe(false);
    expect(verifySlackSignature({ signingSecret: secret, rawBody: `${body} `, signature: sign(body, nowS), timestamp: String(nowS), nowMs: now }).ok).toBe(false);
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, signature: undefined, timestamp: String(nowS), nowMs: now }).ok).toBe(false);
  });

  it('refuses timestamps more than five minutes old or in the future, even when signed', () => {
    for (const ts of [nowS - 301, nowS + 301]) {
      const r = verifySlackSignature({ signingSecret: secret, rawBody: body, signature: sign(body, ts), timestamp: String(ts), nowMs: now });
      expect(r.ok).toBe(false);
    }
    const edge = nowS + 299;
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, signature: sign(body, edge), timestamp: String(edge), nowMs: now }).ok).toBe(true);
  });
});
