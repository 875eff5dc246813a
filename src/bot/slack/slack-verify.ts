import { createHmac, timingSafeEqual } from 'node:crypto';

export type SlackVerification = { ok: true } | { ok: false; reason: string };

const FIVE_MINUTES_S = 5 * 60;
/** `v0=` and a hex HMAC-SHA256. */
const SIGNATURE_LENGTH = 3 + 64;

/**
 * Slack's request signing (v0): HMAC-SHA256 of `v0:timestamp:body` under the signing secret,
 * compared in constant time; a timestamp more than five minutes away, in the past or in the future,
 * is refused (Bolt's own check lets future ones through). One HMAC per request: Bolt's check
 * costs three and a random key (its comparison hashes both sides again), which under a burst of
 * thousands of events is time taken from the acks. `nowMs` comes from the Clock.
 */
export function verifySlackSignature(opts: { signingSecret: string; rawBody: string; signature: string | undefined; timestamp: string | undefined; nowMs: number }): SlackVerification {
  if (!opts.signature || !opts.timestamp) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  const ts = Number(opts.timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'the request timestamp is not a number' };
  const skew = ts - Math.floor(opts.nowMs / 1000);
  if (skew > FIVE_MINUTES_S) return { ok: false, reason: 'the request timestamp is in the future' };
  if (-skew > FIVE_MINUTES_S) return { ok: false, reason: 'the request timestamp is too old' };
  if (!opts.signature.startsWith('v0=') || opts.signature.length !== SIGNATURE_LENGTH) return { ok: false, reason: 'the signature is not a v0 signature' };
  const expected = createHmac('sha256', opts.signingSecret).update(`v0:${opts.timestamp}:`).update(opts.rawBody).digest();
  const given = Buffer.from(opts.signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the signature does not match' };
  return { ok: true };
}
