import { verifySlackRequest } from '@slack/bolt';

export type SlackVerification = { ok: true } | { ok: false; reason: string };

const FIVE_MINUTES_S = 5 * 60;

/**
 * Bolt's signature check, plus what it lacks: a timestamp more than five minutes in the future
 * is refused as well as one in the past. `nowMs` comes from the Clock.
 */
export function verifySlackSignature(opts: { signingSecret: string; rawBody: string; signature: string | undefined; timestamp: string | undefined; nowMs: number }): SlackVerification {
  if (!opts.signature || !opts.timestamp) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  const ts = Number(opts.timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'the request timestamp is not a number' };
  const skew = ts - Math.floor(opts.nowMs / 1000);
  if (skew > FIVE_MINUTES_S) return { ok: false, reason: 'the request timestamp is in the future' };
  if (-skew > FIVE_MINUTES_S) return { ok: false, reason: 'the request timestamp is too old' };
  try {
    verifySlackRequest({
      signingSecret: opts.signingSecret, body: opts.rawBody, nowMilliseconds: opts.nowMs,
      headers: { 'x-slack-signature': opts.signature, 'x-slack-request-timestamp': ts },
    });
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
