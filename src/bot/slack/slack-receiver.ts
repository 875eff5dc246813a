import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { StoreOutcome } from '../../db/inbound-repo.js';
import { cleanJson, parseInboundJson } from '../../shared/clean-text.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { headerOf, problem, type RawRequest, type RawResponse } from '../../shared/http-port.js';
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

  /** POST /slack/events: answers once Bolt acks (or after 2.5 s); listeners may run on after that. */
  readonly handle = async (req: RawRequest): Promise<RawResponse> => {
    const raw = req.body.toString('utf8');
    const verified = verifySlackSignature({
      signingSecret: this.opts.signingSecret, rawBody: raw, nowMs: this.opts.clock.now().getTime(),
      signature: headerOf(req, 'x-slack-signature'), timestamp: headerOf(req, 'x-slack-request-timestamp'),
    });
    if (!verified.ok) {
      this.opts.logger.warn({ reason: verified.reason }, 'refused an unsigned or badly signed Slack request');
      return problem(401, 'invalid_signature', `Refused: ${verified.reason}. Check SLACK_SIGNING_SECRET.`);
    }
    const parsed = parseSlackBody(raw, headerOf(req, 'content-type') ?? '');
    if (!parsed.ok) {
      this.opts.logger.warn({ status: parsed.status }, 'refused a Slack request that cannot be stored');
      return problem(parsed.status, parsed.status === 413 ? 'too_large' : 'invalid_body', parsed.message);
    }
    const { body } = parsed;
    if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
    if (!this.app) return problem(503, 'not_ready', 'Slack is starting; try again.');
    if (body.type === 'event_callback') {
      if (typeof body.event_id !== 'string' || !body.event || typeof body.event !== 'object') {
        return problem(400, 'invalid_body', 'An event_callback needs event_id and event.');
      }
      try {
        const stored = await this.opts.enqueue(`${String(body.team_id ?? '')}:${body.event_id}`, body);
        // Parked: kept as `failed` with the reason, so Slack's retries are repeats and stop.
        if (stored.kind === 'parked') this.opts.logger.warn({ event: body.event_id, reason: stored.reason }, 'parked a Slack event the database refused');
      } catch (e) {
        // Not stored: answer so that Slack delivers it again rather than losing it.
        this.opts.logger.error({ err: e }, 'could not store a Slack event; Slack will retry');
        return problem(503, 'unavailable', 'wardline cannot store events right now; Slack will retry.');
      }
      return { status: 200, body: '' };
    }
    return this.ackThenRun(this.app, req, body);
  };

  /** Commands and interactivity: the answer is Bolt's ack; the listener goes on after it. */
  private ackThenRun(app: App, req: RawRequest, body: Record<string, unknown>): Promise<RawResponse> {
    return new Promise((answer) => {
      let acked = false;
      const respond = (response: unknown) => {
        if (acked) return;
        acked = true;
        answer({ status: 200, body: response === undefined || response === '' ? '' : response as string | object });
      };
      const timer = setTimeout(() => respond(undefined), 2500); // Slack wants an answer within 3 s
      const retry = headerOf(req, 'x-slack-retry-num');
      const event: ReceiverEvent = {
        body, ack: async (response?: unknown) => respond(response),
        ...(retry ? { retryNum: Number(retry), retryReason: headerOf(req, 'x-slack-retry-reason') ?? '' } : {}),
      };
      this.inFlight++;
      app.processEvent(event).catch((e: unknown) => {
        this.opts.logger.error({ err: e }, 'a Slack listener failed');
      }).finally(() => {
        clearTimeout(timer);
        respond(undefined);
        if (--this.inFlight === 0) for (const ok of this.waiters.splice(0)) ok();
      });
    });
  }
}
