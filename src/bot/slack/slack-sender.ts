import type { WebClient } from '@slack/web-api';
import type { OutboxRow } from '../../db/outbox-delivery-repo.js';
import { DeliveryError } from '../../jobs/outbox-delivery.js';
import type { RateRule } from '../../jobs/rate-limiter.js';
import type { ChatAddress, ChatSender } from '../chat-port.js';
import type { NeutralMessage } from '../messages.js';
import { renderSlackMessage } from './slack-blocks.js';
import type { SlackCall } from './slack-web-call.js';

/** Errors that no retry will cure: the message is marked failed and the admins are told. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'msg_too_long', 'msg_blocks_too_long', 'invalid_blocks', 'no_text',
  'message_not_found', 'cant_update_message', 'edit_window_closed', 'user_not_found', 'user_disabled', 'account_inactive',
  'invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'missing_scope', 'restricted_action', 'channel_is_archived',
]);

/**
 * Slack's ~1 message a second per channel. A tolerance of half a message lets a late message be
 * caught up (no drift), while most of Slack's short burst is left unused to absorb network jitter.
 */
export const slackRateRules = (row: OutboxRow): RateRule[] => [{ key: `slack:${row.target}`, perSecond: 1, burst: 1.5 }];

/** How far before the first try to look: Slack's clock and ours may disagree a little. */
const CLOCK_SLACK_MS = 3600_000;
/** Pages of conversation to read at most (200 messages each): a bound when the first try's time is unknown. */
const MAX_PAGES = 25;

/**
 * After a crash or a timeout the message may be in Slack already: look for our idempotency key in
 * the message metadata of the channel's (or thread's) messages since the first try, page by page.
 */
async function findPosted(client: WebClient, address: ChatAddress, key: string, since: Date | null): Promise<string | null> {
  const oldest = since ? ((since.getTime() - CLOCK_SLACK_MS) / 1000).toFixed(6) : undefined;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const args = { channel: address.channelId, limit: 200, include_all_metadata: true, ...(oldest ? { oldest } : {}), ...(cursor ? { cursor } : {}) };
    const r = address.threadId
      ? await client.conversations.replies({ ...args, ts: address.threadId })
      : await client.conversations.history(args);
    const hit = (r.messages ?? []).find((x) => (x.metadata?.event_payload as { key?: string } | undefined)?.key === key);
    if (hit?.ts) return hit.ts;
    cursor = r.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  // Not found within the bound: posting again risks a duplicate, losing it risks worse.
  return null;
}

/**
 * Slack shows images only from a URL or an uploaded file: the chart is uploaded into the message's
 * thread, with its text alternative. The numbers are in the message itself, so a failed upload
 * (a missing files:write scope, say) does not fail the message.
 */
async function uploadImage(client: WebClient, channel: string, threadTs: string, image: { png: string; alt: string }): Promise<void> {
  try {
    await client.filesUploadV2({
      channel_id: channel, thread_ts: threadTs, file: Buffer.from(image.png, 'base64'), filename: 'trend.png', title: 'New cases by week', alt_text: image.alt,
    } as never);
  } catch {
    // Best effort, see above.
  }
}

/** Maps a Web API failure to what the outbox should do with the message. */
export function toDeliveryError(e: unknown): DeliveryError {
  const err = e as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (err.code === 'slack_webapi_rate_limited_error') return new DeliveryError('rate_limited', 'Slack rate limit', (err.retryAfter ?? 1) * 1000);
  const code = err.data?.error;
  if (code && PERMANENT.has(code)) return new DeliveryError('permanent', `Slack refused the message: ${code}`);
  return new DeliveryError('transient', `Slack: ${code ?? err.message ?? 'request failed'}`);
}

/**
 * The Slack side of the outbox: post, reply with `thread_ts`, edit with `chat.update`. Neither the
 * Web API client nor `call` (the posts and edits, slack-web-call.ts; by default through the client)
 * retries or waits out 429s itself; the outbox does, so limits hold across workers.
 */
export function createSlackSender(client: WebClient, call: SlackCall = (method, body) => client.apiCall(method, body) as unknown as Promise<Record<string, unknown>>): ChatSender {
  const dms = new Map<string, string>();
  return {
    platform: 'slack',
    async openDirect(userId) {
      const known = dms.get(userId);
      if (known) return known;
      try {
        const r = await client.conversations.open({ users: userId });
        const id = r.channel?.id;
        if (!id) throw new DeliveryError('transient', 'Slack opened no DM channel');
        dms.set(userId, id);
        return id;
      } catch (e) {
        throw e instanceof DeliveryError ? e : toDeliveryError(e);
      }
    },
    async post(address: ChatAddress, message: NeutralMessage, idempotencyKey: string, opts = {}) {
      const m = renderSlackMessage(message);
      const key = idempotencyKey.slice(0, 200);
      try {
        if (opts.mayExist) {
          const found = await findPosted(client, address, key, opts.since ?? null);
          if (found) return { messageId: found };
        }
        const r = await call('chat.postMessage', {
          channel: address.channelId, text: m.text, blocks: m.blocks, unfurl_links: false, unfurl_media: false,
          ...(address.threadId ? { thread_ts: address.threadId } : {}),
          metadata: { event_type: 'wardline_message', event_payload: { key } },
        });
        const ts = typeof r.ts === 'string' && r.ts ? r.ts : null;
        if (!ts) throw new DeliveryError('transient', 'Slack returned no message ts');
        for (const more of m.continued ?? []) {
          await call('chat.postMessage', { channel: address.channelId, text: more.text, blocks: more.blocks, thread_ts: address.threadId ?? ts, unfurl_links: false, unfurl_media: false });
        }
        if (message.type === 'notice' && message.image) await uploadImage(client, address.channelId, address.threadId ?? ts, message.image);
        return { messageId: ts };
      } catch (e) {
        throw e instanceof DeliveryError ? e : toDeliveryError(e);
      }
    },
    async update(address: ChatAddress, messageId: string, message: NeutralMessage) {
      const m = renderSlackMessage(message);
      try {
        await call('chat.update', { channel: address.channelId, ts: messageId, text: m.text, blocks: m.blocks });
      } catch (e) {
        throw toDeliveryError(e);
      }
    },
  };
}
