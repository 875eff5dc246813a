import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One Slack Web API method called with a JSON body; resolves to Slack's answer when `ok`. */
export type SlackCall = (method: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** How long a call may take before it counts as failed (the outbox tries again later). */
export const SLACK_CALL_TIMEOUT_MS = 30_000;
/** Slack's answers are small; one larger than this is not Slack's. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * A failed call, shaped as the Web API client's errors are (`code`, `data.error`, `retryAfter` in
 * seconds), so both are read the same way (toDeliveryError).
 */
export class SlackCallError extends Error {
  constructor(message: string, readonly code: string, readonly data?: { error?: string }, readonly retryAfter?: number) {
    super(message);
    this.name = 'SlackCallError';
  }
}

/**
 * The outbox's posts and edits, the Web API calls made once for every message wardline sends: a
 * JSON POST over a kept-alive connection. Slack's Web API client costs several times the CPU per
 * call (its queue, fetch and WHATWG streams), which under a burst is a tenth of a worker's time.
 * No retries and no waiting on 429: the outbox does both, so limits hold across workers.
 */
export function createSlackCall(token: string, apiUrl = 'https://slack.com/api/', timeoutMs = SLACK_CALL_TIMEOUT_MS): SlackCall {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  const secure = base.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 16 }) : new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const send = secure ? httpsRequest : httpRequest;
  return (method, body) => new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = send(new URL(method, base), {
      method: 'POST', agent, timeout: timeoutMs,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
    }, (res) => readAnswer(method, res).then(resolve, reject));
    req.on('timeout', () => req.destroy(new SlackCallError(`Slack did not answer ${method} within ${timeoutMs / 1000} s`, 'slack_call_timeout')));
    req.on('error', (e) => reject(e instanceof SlackCallError ? e : new SlackCallError(`${method}: ${e.message}`, 'slack_call_request_error')));
    req.end(payload);
  });
}

function readAnswer(method: string, res: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_ANSWER_BYTES) res.destroy(new SlackCallError(`${method}: the answer is too large to be Slack's`, 'slack_call_http_error'));
      else chunks.push(c);
    });
    res.on('error', (e) => reject(e instanceof SlackCallError ? e : new SlackCallError(`${method}: ${e.message}`, 'slack_call_request_error')));
    res.on('end', () => {
      const status = res.statusCode ?? 0;
      if (status === 429) {
        const after = Number(res.headers['retry-after']);
        reject(new SlackCallError(`${method}: rate limited`, 'slack_webapi_rate_limited_error', { error: 'ratelimited' }, Number.isFinite(after) && after >= 0 ? after : 1));
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        data = null;
      }
      if (status < 200 || status >= 300 || !data || typeof data !== 'object') {
        reject(new SlackCallError(`${method}: HTTP ${status}${data ? '' : ', not a Slack answer'}`, 'slack_call_http_error'));
        return;
      }
      const answer = data as Record<string, unknown>;
      if (answer.ok !== true) {
        const error = typeof answer.error === 'string' ? answer.error : 'unknown_error';
        reject(new SlackCallError(`An API error occurred: ${error}`, 'slack_webapi_platform_error', { error }));
        return;
      }
      resolve(answer);
    });
  });
}
