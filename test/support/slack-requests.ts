import { createHmac, randomBytes } from 'node:crypto';

export const SLACK_TEST_SECRET = 'wardline-test-signing-secret';
export const SLACK_TEAM = 'T0WARDLINE';
export const SLACK_BOT_USER = 'UBOT';

export const slackSignature = (body: string, ts: number, secret = SLACK_TEST_SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

export interface SlackPost {
  status: number;
  body: string;
}

/** POSTs a body to wardline's /slack/events as Slack does: signed, with the request timestamp. */
export async function postToSlackEndpoint(baseUrl: string, body: string, opts: {
  contentType?: string; ts?: number; secret?: string; signature?: string | null; headers?: Record<string, string>;
} = {}): Promise<SlackPost> {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(ts),
    ...(opts.signature === null ? {} : { 'x-slack-signature': opts.signature ?? slackSignature(body, ts, opts.secret) }),
    ...opts.headers,
  };
  const res = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

export const eventId = () => `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
export const triggerId = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`;

/** An Events API envelope, in the documented shape (`event_callback`). */
export function eventCallback(event: Record<string, unknown>, id = eventId()): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token', team_id: SLACK_TEAM, api_app_id: 'A0WARDLINE', event, type: 'event_callback',
    event_id: id, event_time: Math.floor(Date.now() / 1000), authorizations: [{ enterprise_id: null, team_id: SLACK_TEAM, user_id: SLACK_BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false, event_context: `4-${id}`,
  };
}

/** An interactivity payload as Slack sends it: a form with one `payload` field. */
export const interactivityForm = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** A slash command as Slack sends it: a form. */
export function slashCommandForm(o: { command: string; text: string; userId: string; channelId: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token', team_id: SLACK_TEAM, team_domain: 'birmingham', channel_id: o.channelId, channel_name: 'directmessage',
    user_id: o.userId, user_name: o.userId.toLowerCase(), command: o.command, text: o.text, api_app_id: 'A0WARDLINE', is_enterprise_install: 'false',
    response_url: 'https://hooks.invalid/commands/T0WARDLINE/1/x', trigger_id: triggerId(),
  }).toString();
}
