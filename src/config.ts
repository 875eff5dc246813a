import { z } from 'zod';
import { AppError } from './shared/errors.js';
import { redactUrls } from './shared/redact.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const hour = z.coerce.number().int().min(0).max(24);

/** One schema over the environment, parsed once in the composition root. */
export const configSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  WARDLINE_DATA_DIR: z.string().min(1).default('./.wardline'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TZ_COUNCIL: z.string().default('Europe/London').refine(isValidZone, 'must be an IANA time zone such as Europe/London'),
  WARDLINE_WARD_SET: z.enum(['birmingham-2018', 'birmingham-2004']).default('birmingham-2018'),
  WORKING_HOURS: z.string().regex(/^\d{1,2}-\d{1,2}$/, 'must look like 9-17').default('9-17'),
  REDIS_SERVER_BIN: z.string().default('redis-server'),
  WARDLINE_WORKSPACE: z.enum(['on', 'off', 'auto']).default('auto'),
  /** Tell the ward's WACs and senior officer about each new case. */
  WARDLINE_WARD_NOTICES: z.enum(['on', 'off']).default('on'),
  /** Hours before a deadline the RM is reminded (urgent cases: REMINDER_URGENT_LEAD_HOURS). */
  REMINDER_LEAD_HOURS: z.coerce.number().min(0).max(72).default(4),
  REMINDER_URGENT_LEAD_HOURS: z.coerce.number().min(0).max(24).default(0.5),
  /** Working hours after a breach before the ward's senior officer is brought in. */
  ESCALATE_SENIOR_AFTER_HOURS: z.coerce.number().min(0).max(200).default(8),
  /** PostgreSQL: refuse use of the database handle inside its own transactions (always so on PGlite); the tests set it. */
  WARDLINE_DB_GUARD: z.enum(['0', '1']).default('0'),
  /** Prefix of wardline's keys in Redis (queues, rate limits), for installations sharing one Redis. */
  WARDLINE_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, . _ - only').default('wardline'),
  /** People not in the directory: `refuse` (explain, tell the admins) or `accept` (add them as guests and take their cases). */
  WARDLINE_STRANGERS: z.enum(['refuse', 'accept']).default('refuse'),
  /** Stored chat events a worker handles together in one transaction (1: one transaction each). */
  WARDLINE_INBOUND_BATCH: z.coerce.number().int().min(1).max(500).default(50),
  /** Open311 GeoReport v2: the jurisdiction this endpoint serves, and who clients contact. */
  OPEN311_JURISDICTION_ID: z.string().min(1).max(200).default('birmingham.gov.uk'),
  OPEN311_CONTACT: z.string().min(1).max(500).default('Ask the council\'s wardline administrators.'),
  /** Months after a case is closed (or resolved) that its free text and residents' details are removed. */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).default(24),
  /** Per-service retention, `service=months,…` (e.g. `housing-management=72`); others use RETENTION_MONTHS. */
  RETENTION_MONTHS_BY_SERVICE: z.string().regex(/^([a-z0-9-]+=\d{1,4})?(,[a-z0-9-]+=\d{1,4})*$/, 'must look like service-a=12,service-b=72').default(''),
  /** Slack: on when the bot token is set (HTTP needs the signing secret, Socket Mode the app token). */
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: z.string().url().optional(),
  /** Channels (ids or names) where wardline reads every message, not only mentions. */
  SLACK_LISTEN_CHANNELS: z.string().default(''),
  /** Teams: on when the app id is set (Bot Framework tokens are then checked on every request). */
  MICROSOFT_APP_ID: z.string().min(1).optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Teams without an app id accepts any caller: only for local trials, never in production. */
  TEAMS_ALLOW_UNAUTHENTICATED: z.enum(['0', '1']).default('0'),
  /** Channels (ids or names) where the app has ChannelMessage.Read.Group and reads every message. */
  TEAMS_LISTEN_CHANNELS: z.string().default(''),
  /** The Bot Connector service URL for the first proactive posts, before anyone has written. */
  TEAMS_SERVICE_URL: z.string().url().optional(),
  TEAMS_OPENID_METADATA_URL: z.string().url().optional(),
  TEAMS_LOGIN_URL: z.string().url().optional(),
  /** Ward Action Tracker sign-in: the council's OIDC issuer (Microsoft Entra ID: https://login.microsoftonline.com/<tenant>/v2.0). */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The button's words for the council's issuer. */
  OIDC_LABEL: z.string().min(1).default('Microsoft Entra ID'),
  /** "Sign in with Slack" (OpenID Connect) for the tracker. */
  SLACK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  SLACK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_OIDC_ISSUER: z.string().url().default('https://slack.com'),
  /** wardline's address as browsers reach it (callbacks are PUBLIC_URL/auth/callback/<provider>). */
  PUBLIC_URL: z.string().url().optional(),
  /** Minutes without a request after which a tracker session ends. */
  WEB_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
}).superRefine((c, ctx) => {
  for (const [id, secret, what] of [['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ISSUER'], ['SLACK_OIDC_CLIENT_ID', 'SLACK_OIDC_CLIENT_SECRET', null]] as const) {
    const on = what ? !!c[what] || !!c[id] : !!c[id];
    if (!on) continue;
    if (what && !c[what]) ctx.addIssue({ code: 'custom', path: [what], message: 'set the issuer URL of the council\'s identity provider' });
    if (!c[id]) ctx.addIssue({ code: 'custom', path: [id], message: 'set the client id of the app registration' });
    if (!c[secret]) ctx.addIssue({ code: 'custom', path: [secret], message: 'set the client secret of the app registration' });
    if (!c.PUBLIC_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'set wardline\'s public address (https://…) for the sign-in callback' });
  }
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD && c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'set the client secret of the bot\'s app registration (or MICROSOFT_APP_TYPE=UserAssignedMSI)' });
  }
  if (c.MICROSOFT_APP_TYPE === 'SingleTenant' && c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_TENANT_ID) {
    ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: 'a SingleTenant bot needs its tenant id' });
  }
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'set it (from the Slack app\'s Basic Information page) for HTTP mode, or set SLACK_APP_TOKEN for Socket Mode' });
  }
  if (!c.SLACK_BOT_TOKEN && (c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN)) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'Slack is half configured: set the bot token (xoxb-…) too, or unset the other SLACK_ variables' });
  }
});

export type Config = Readonly<z.infer<typeof configSchema> & { workingHours: { start: number; end: number } }>;

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach a server bound there. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL/i;

/**
 * A setting's value as a configuration error may show it: secrets never. A token shows only its
 * kind (`xoxp-…`, enough to see a user token where a bot token belongs), other secrets only their
 * length, and URLs lose the password in their user info and any secret-looking query values.
 */
export function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRET_NAME.test(name)) {
    const kind = /^(xox[a-z]|xapp)-/.exec(value)?.[0];
    return kind ? `"${kind}…" (hidden)` : `a hidden value of ${value.length} characters`;
  }
  return JSON.stringify(redactUrls(value));
}

/** Parses the environment; every problem is reported at once with what to set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${shownValue(String(i.path[0]), cleaned[String(i.path[0])])})`);
    throw new AppError('config.invalid', `The configuration is not valid; set these environment variables:\n${lines.join('\n')}`);
  }
  const [start, end] = parsed.data.WORKING_HOURS.split('-').map((n) => hour.parse(n)) as [number, number];
  if (start >= end) {
    throw new AppError('config.invalid', `WORKING_HOURS: the start must be before the end (got ${shownValue('WORKING_HOURS', parsed.data.WORKING_HOURS)}); set e.g. WORKING_HOURS=9-17`);
  }
  return Object.freeze({ ...parsed.data, workingHours: { start, end } });
}
