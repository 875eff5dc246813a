import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { StoreOutcome } from '../../db/inbound-repo.js';
import { cleanJson, parseInboundJson } from '../../shared/clean-text.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { readBody, sendJson, sendText } from '../../web/http-router.js';
import { verifySlackSignature } from './slack-verify.js';

export type SlackBody = { ok: true; body: Record<string, unknown> } | { ok: false; status: 400 | 413; message: string };

const NOT_SLACK = 'Not a Slack payload: expected JSON, or a form with a command or payload field.';

/**
 * Parses a Slack request body: JSON (Events API) or a form (slash commands; `payload=` for
 * interactivity). Cleaned of what the database cannot store; too deep or too large is refused.
 */
export function parseSlackBody(raw: string, contentType: string): SlackBody {
  const object = (text: string): SlackBody => {
    const parsed = parseInboundJson(text);
    if (!parsed.ok) return { ok: false, status: parsed.status, message: parsed.code === 'invalid_json' ? NOT_SLACK : parsed.message };
    const v = parsed.value;
    return v && typeof v === 'object' && !Array.isArray(v) ? { ok: true, body: v as Record<string, unknown> } : { ok: false, status: 400, message: NOT_SLACK };
  };
  if (contentType.includes('application/json')) return object(raw);
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return object(payload);
    const fields = cleanJson(Object.fromEntries(form.entries()));
    return fields.command ? { ok: true, body: fields } : { ok: false, status: 400, message: NOT_SLACK };
  }
  return { ok: false, status: 400, message: NOT_SLACK };
}

/**
 * Bolt's receiver inside wardline's own web server: verifies every request (past and future
 * timestamps), answers 401/400 before anything is stored, acks fast and lets listeners work after.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  /** `enqueue` stores an Events API delivery to be handled after the ack. */
  constructor(private readonly opts: { signingSecret: string; clock: Clock; logger: Logger; enqueue: (key: string, body: Record<string, unknown>) => Promise<StoreOutcome> }) {}

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return this.idle();
  }

  /** Resolves once every request taken so far has been fully handled (listeners run after the ack). */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((ok) => this.waiters.push(ok));
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = (await readBody(req, 1_000_000)).toString('utf8');
    const verified = verifySlackSignature({
      signingSecret: this.opts.signingSecret, rawBody: raw, nowMs: this.opts.clock.now().getTime(),
      signature: header(req, 'x-slack-signature'), timestamp: header(req, 'x-slack-request-timestamp'),
    });
    if (!verified.ok) {
      this.opts.logger.warn({ reason: verified.reason }, 'refused an unsigned or badly signed Slack request');
      return sendJson(res, 401, { error: 'invalid_signature', message: `Refused: ${verified.reason}. Check SLACK_SIGNING_SECRET.` });
    }
    const parsed = parseSlackBody(raw, header(req, 'content-type') ?? '');
    if (!parsed.ok) {
      this.opts.logger.warn({ status: parsed.status }, 'refused a Slack request that cannot be stored');
      return sendJson(res, parsed.status, { error: parsed.status === 413 ? 'too_large' : 'invalid_body', message: parsed.message });
    }
    const { body } = parsed;
    if (body.type === 'url_verification') return sendJson(res, 200, { challenge: body.challenge });
    if (!this.app) return sendJson(res, 503, { error: 'not_ready', message: 'Slack is starting; try again.' });
    if (body.type === 'event_callback') {
      if (typeof body.event_id !== 'string' || !body.event || typeof body.event !== 'object') {
        return sendJson(res, 400, { error: 'invalid_body', message: 'An event_callback needs event_id and event.' });
      }
      try {
        const stored = await this.opts.enqueue(`${String(body.team_id ?? '')}:${body.event_id}`, body);
        // Parked: kept as `failed` with the reason, so Slack's retries are repeats and stop.
        if (stored.kind === 'parked') this.opts.logger.warn({ event: body.event_id, reason: stored.reason }, 'parked a Slack event the database refused');
      } catch (e) {
        // Not stored: answer so that Slack delivers it again rather than losing it.
        this.opts.logger.error({ err: e }, 'could not store a Slack event; Slack will retry');
        return sendJson(res, 503, { error: 'unavailable', message: 'wardline cannot store events right now; Slack will retry.' });
      }
      return sendText(res, 200, '');
    }

    let acked = false;
    const respond = (response: unknown) => {
      if (acked) return;
      acked = true;
      if (response === undefined || response === '') sendText(res, 200, '');
      else if (typeof response === 'string') sendText(res, 200, response);
      else sendJson(res, 200, response);
    };
    const timer = setTimeout(() => respond(undefined), 2500); // Slack wants an answer within 3 s
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body, ack: async (response?: unknown) => respond(response),
      ...(retry ? { retryNum: Number(retry), retryReason: header(req, 'x-slack-retry-reason') ?? '' } : {}),
    };
    this.inFlight++;
    try {
      await this.app.processEvent(event);
    } catch (e) {
      this.opts.logger.error({ err: e }, 'a Slack listener failed');
    } finally {
      clearTimeout(timer);
      respond(undefined);
      if (--this.inFlight === 0) for (const ok of this.waiters.splice(0)) ok();
    }
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
