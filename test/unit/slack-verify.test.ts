import { createHmac } from 'node:crypto';
import fc from 'fast-check';
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

  it('uses the timestamp as sent in the signed string, and refuses other schemes and malformed signatures', () => {
    // The header's text is what Slack signed: "0170…" is not the same request as "170…".
    expect(verifySlackSignature({ signingSecret: secret, rawBody: body, signature: sign(body, nowS), timestamp: `0${nowS}`, nowMs: now }).ok).toBe(false);
    const good = sign(body, nowS);
    for (const signature of [good.replace('v0=', 'v1='), good.slice(0, -2), `${good}00`, `v0=${'z'.repeat(64)}`, good.toUpperCase(), 'v0=']) {
      expect(verifySlackSignature({ signingSecret: secret, rawBody: body, signature, timestamp: String(nowS), nowMs: now }).ok).toBe(false);
    }
  });

  it('never throws and never accepts a signature that is not the HMAC, whatever the headers hold', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (signature, timestamp, rawBody) => {
      const r = verifySlackSignature({ signingSecret: secret, rawBody, signature, timestamp, nowMs: now });
      const expected = /^\d+$/.test(timestamp) && Math.abs(Number(timestamp) - nowS) <= 300 && signature === sign(rawBody, Number(timestamp));
      expect(r.ok).toBe(expected);
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.string(), fc.integer({ min: nowS - 300, max: nowS + 300 }), (rawBody, ts) => {
      expect(verifySlackSignature({ signingSecret: secret, rawBody, signature: sign(rawBody, ts), timestamp: String(ts), nowMs: now }).ok).toBe(true);
    }), { numRuns: 500 });
  });
});
