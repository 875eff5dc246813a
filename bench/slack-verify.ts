/**
 * The Slack signature check on every request to /slack/events: wardline's (one HMAC, compared in
 * constant time) against Bolt's verifySlackRequest (the baseline: its comparison hashes both sides
 * again under a random key), on a typical event body. Prints, never asserts.
 *   npx tsx bench/slack-verify.ts [--n 20000]
 */
import { createHmac } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';
import { verifySlackSignature } from '../src/bot/slack/slack-verify.js';
import { eventCallback } from '../test/support/slack-requests.js';
import { fmt } from './support.js';

const N = process.argv.includes('--n') ? Number(process.argv[process.argv.indexOf('--n') + 1]) : 20_000;
const secret = 'bench-signing-secret';
const body = JSON.stringify(eventCallback({ type: 'app_mention', user: 'U0BENCH', text: 'Fly-tipping again on Slade Road, Erdington, third time this month: mattresses and a fridge by the bus stop', channel: 'C00000001', ts: '1800000000.000100' }, 'EvBENCH1'));
const now = Date.now();
const ts = Math.floor(now / 1000);
const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

function perCall(fn: () => void): number {
  const t = performance.now();
  for (let i = 0; i < N; i++) fn();
  return ((performance.now() - t) / N) * 1000;
}

console.log(`Slack signature check, ${N} calls each, body ${body.length} bytes`);
for (let round = 1; round <= 3; round++) {
  const bolt = perCall(() => verifySlackRequest({ signingSecret: secret, body, nowMilliseconds: now, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts } }));
  const own = perCall(() => { if (!verifySlackSignature({ signingSecret: secret, rawBody: body, signature, timestamp: String(ts), nowMs: now }).ok) throw new Error('refused a good signature'); });
  console.log(`  round ${round}: wardline ${fmt(own, 1)} µs a request, Bolt's ${fmt(bolt, 1)} µs (${fmt(bolt / own, 2)}× faster)`);
}
