import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CatalogueIndex } from './catalogue/catalogue.js';
import { loadDefaultCatalogue } from './catalogue/default-catalogue.js';
import { createCaseService, type CaseContext, type CaseService, type CaseServiceDeps } from './cases/case-service.js';
import { DEFAULT_SLA_POLICIES, type SlaPolicy } from './cases/sla.js';
import { createWorkingCalendar, type WorkingCalendar } from './cases/working-time.js';
import { isLoopbackHost, type Config } from './config.js';
import { caseStoreOn, createCaseStore } from './db/case-store.js';
import { loadCatalogue, syncCatalogue } from './db/catalogue-repo.js';
import { openDatabase, type DbHandle, type Tx } from './db/client.js';
import { assertOutsideTransaction } from './db/handle-guard.js';
import { loadPeople } from './db/directory-repo.js';
import { loadRoutingTable } from './db/routing-repo.js';
import { loadSlaPolicies } from './db/sla-repo.js';
import { createStreetGazetteerLoader } from './db/streets-repo.js';
import { createIntakeModelLoader } from './db/intake-models-repo.js';
import { loadShippedModel } from './intake/model/intake-model.js';
import { buildDirectory } from './directory/person.js';
import { startRedisServer } from './jobs/redis-server.js';
import { systemClock, type Clock } from './shared/clock.js';
import { AppError } from './shared/errors.js';
import { redactUrls } from './shared/redact.js';
import { keepUnchanged } from './shared/keep-unchanged.js';
import type { Logger } from './shared/logger.js';
import { createMetrics, type Metrics } from './web/metrics.js';
import type { WebPlugin, WebServer } from './web/server.js';
import { createCaseNotifier } from './bot/case-notifier.js';
import type { ChatRuntime } from './main-chat.js';
import type { Platform } from './shared/enums.js';

/**
 * The composition root: the only place that wires storage, clock and adapters to the core.
 * `openCore` is what every command and process role starts from.
 */
export interface Core {
  config: Config;
  logger: Logger;
  clock: Clock;
  dbh: DbHandle;
  calendar: WorkingCalendar;
  cases: CaseService;
  /** The case services inside a transaction the caller holds, with a context read before it. */
  casesOn(tx: Tx, ctx: CaseContext): CaseService;
  metrics: Metrics;
  platforms: Platform[];
  loadContext(): Promise<CaseContext>;
  /** Forgets the cached context after this process changed the directory, routing or catalogue. */
  invalidateContext(): void;
  close(): Promise<void>;
}

export async function openCore(config: Config, logger: Logger, opts: { clock?: Clock; migrate?: boolean } = {}): Promise<Core> {
  const dbh = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.WARDLINE_DATA_DIR, ...(config.WARDLINE_DB_GUARD === '1' ? { guard: true } : {}) });
  try {
    if (opts.migrate !== false) {
      await dbh.migrate();
      await dbh.db.transaction((tx) => syncCatalogue(tx, loadDefaultCatalogue(config.WARDLINE_WARD_SET)));
    }
  } catch (e) {
    await dbh.close();
    throw e;
  }
  const clock = opts.clock ?? systemClock;
  const calendar = createWorkingCalendar({ zone: config.TZ_COUNCIL, startHour: config.workingHours.start, endHour: config.workingHours.end });
  const loadStreets = createStreetGazetteerLoader(dbh.db);
  // The intake model in use: one small query with each context read, so a model adopted or rolled
  // back by any process is used here within a second.
  const loadModel = createIntakeModelLoader(dbh.db, loadShippedModel, (msg, meta) => logger.warn(meta, msg));
  // Reread every second but seldom changed: an unchanged catalogue stays the same object, so the
  // lexicon compiled from it (and its memo of phrases) is not rebuilt each time.
  const sameCatalogue = keepUnchanged<Awaited<ReturnType<typeof loadCatalogue>>>();
  let index: CatalogueIndex | null = null;
  const readContext = async (): Promise<CaseContext> => {
    const [loaded, people, table, stored] = await Promise.all([
      loadCatalogue(dbh.db), loadPeople(dbh.db), loadRoutingTable(dbh.db), loadSlaPolicies(dbh.db),
    ]);
    const catalogue = sameCatalogue(loaded);
    if (index?.catalogue !== catalogue) index = new CatalogueIndex(catalogue);
    const policies: SlaPolicy[] = [...DEFAULT_SLA_POLICIES, ...stored];
    const streets = await loadStreets(catalogue.wardSet);
    const intakeModel = await loadModel();
    return { index, directory: buildDirectory(people), table, policies, streets, intakeModel };
  };
  // The catalogue, directory and routing table change rarely (imports, often from another
  // process): read at most once a second, and at once after a change made here.
  let cached: { at: number; ctx: Promise<CaseContext> } | null = null;
  const loadContext = (): Promise<CaseContext> => {
    // Inside a transaction on dbh.db a stale cache would read through the handle and, on PGlite,
    // wait forever: refused always, cached or not, so tests catch it.
    assertOutsideTransaction(dbh.db, 'loadContext');
    const now = performance.now();
    if (!cached || now - cached.at > CONTEXT_TTL_MS) {
      const ctx = readContext();
      cached = { at: now, ctx };
      ctx.catch(() => { if (cached?.ctx === ctx) cached = null; });
    }
    return cached.ctx;
  };
  const invalidateContext = () => { cached = null; };
  const metrics = createMetrics();
  const platforms = chatPlatforms(config);
  const caseDeps = {
    clock, calendar,
    notify: createCaseNotifier({ platforms, wardNotices: config.WARDLINE_WARD_NOTICES === 'on' }),
    observe: ({ action, caseRecord }) => {
      if (action === 'open') {
        metrics.casesOpened.labels(caseRecord.serviceId ?? 'unknown', caseRecord.urgency).inc();
        metrics.casesRouted.labels(caseRecord.routing?.kind ?? 'unrouted').inc();
      } else metrics.transitions.labels(action, caseRecord.status).inc();
    },
  } satisfies Omit<CaseServiceDeps, 'store' | 'loadContext'>;
  const cases = createCaseService({ ...caseDeps, store: createCaseStore(dbh.db), loadContext });
  const casesOn = (tx: Tx, ctx: CaseContext) => createCaseService({ ...caseDeps, store: caseStoreOn(tx), loadContext: () => Promise.resolve(ctx) });
  return { config, logger, clock, dbh, calendar, cases, casesOn, metrics, platforms, loadContext, invalidateContext, close: () => dbh.close() };
}

const CONTEXT_TTL_MS = 1000;

/** The chat platforms this installation posts on, in order of preference. */
export function chatPlatforms(config: Config): Platform[] {
  const external: Platform[] = [
    ...(config.SLACK_BOT_TOKEN ? ['slack' as const] : []),
    ...(config.MICROSOFT_APP_ID || config.TEAMS_ALLOW_UNAUTHENTICATED === '1' ? ['teams' as const] : []),
  ];
  const workspace = config.WARDLINE_WORKSPACE === 'on' || (config.WARDLINE_WORKSPACE === 'auto' && external.length === 0);
  return [...external, ...(workspace ? ['local' as const] : [])];
}

export const PROCESS_ROLES = ['all', 'web', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface Running {
  core: Core;
  web: WebServer | null;
  redisUrl: string;
  chat: ChatRuntime;
  stop(): Promise<void>;
}

/** Starts a process: web (HTTP + chat adapters), worker (background jobs) or both. */
export async function startWardline(config: Config, logger: Logger, role: ProcessRole, opts: { clock?: Clock; queuePrefix?: string; plugins?: WebPlugin[] } = {}): Promise<Running> {
  if (role !== 'worker') guardWorkspaceExposure(config, logger);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => { for (const s of stops.reverse()) await s().catch((e) => logger.warn({ err: e }, 'stop failed')); };
  try {
    // The database first: on PGlite it takes the data dir's lock, so a second process stops here
    // before it starts a redis-server of its own in the same directory.
    const core = await openCore(config, logger, opts.clock ? { clock: opts.clock } : {});
    stops.push(core.close);
    let redisUrl = config.REDIS_URL;
    if (!redisUrl) {
      const managed = await startRedisServer({ bin: config.REDIS_SERVER_BIN, dataDir: join(config.WARDLINE_DATA_DIR, 'redis') });
      stops.push(managed.stop);
      redisUrl = managed.url;
      logger.info({ redis: redisUrl }, 'started a local redis-server');
    }
    const redis = await connectRedis(redisUrl);
    stops.push(async () => { redis.disconnect(); });
    // Loaded here, not at the top: CLI commands open the core without the chat and queue libraries.
    const { startChatRuntime } = await import('./main-chat.js');
    const chat = await startChatRuntime({ core, redis, redisUrl, role, prefix: opts.queuePrefix ?? 'wardline' });
    stops.push(chat.stop);
    // Retention: the daily job runs where workers run.
    if (role !== 'web') {
      const { startRetention } = await import('./main-retention.js');
      stops.push(await startRetention(core, redisUrl, opts.queuePrefix ?? 'wardline'));
    }
    // The weekly intake retrain, likewise (loaded here: it brings the training code).
    if (role !== 'web') stops.push(await (await import('./main-retrain.js')).startIntakeRetrain(core, redisUrl, opts.queuePrefix ?? 'wardline'));
    let web: WebServer | null = null;
    if (role !== 'worker') {
      // Loaded here: workers and commands do without the HTTP server, the tracker and Open311.
      const { startFrontDoor } = await import('./main-web.js');
      web = await startFrontDoor({ core, redis, chat, ...(opts.plugins ? { extra: opts.plugins } : {}) });
      stops.push(web.close);
      stops.push(async () => chat.closeStreams());
      logger.info({ url: web.url, role, database: core.dbh.kind, platforms: core.platforms }, 'wardline is listening');
    } else {
      logger.info({ role, database: core.dbh.kind, platforms: core.platforms }, 'wardline worker is running');
    }
    return { core, web, redisUrl, chat, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * The workspace lets anyone act as anyone: on an address others can reach it is refused unless
 * WARDLINE_WORKSPACE=on says so explicitly (then a loud warning).
 */
function guardWorkspaceExposure(config: Config, logger: Logger): void {
  if (!chatPlatforms(config).includes('local') || isLoopbackHost(config.HOST)) return;
  if (config.WARDLINE_WORKSPACE === 'on') {
    logger.warn({ host: config.HOST }, `THE BUILT-IN WORKSPACE IS OPEN ON ${config.HOST}: anyone who can reach this server can act as any person in the directory, with no sign-in. Use it only on a trusted network.`);
    return;
  }
  throw new AppError('config.invalid', `The built-in workspace is on (WARDLINE_WORKSPACE=auto, no Slack or Teams configured) and HOST=${config.HOST} is not a loopback address: anyone who could reach it could act as anyone, with no sign-in. Set HOST=127.0.0.1, or configure Slack or Teams, or set WARDLINE_WORKSPACE=off; to expose the workspace knowingly, set WARDLINE_WORKSPACE=on.`);
}

async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 3000, retryStrategy: (n) => (n > 50 ? null : Math.min(n * 200, 2000)) });
  redis.on('error', () => { /* reported through readiness */ });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new AppError('redis.unavailable', `Cannot reach Redis at ${redactUrls(url)} (${(e as Error).message}). Check that it is running and REDIS_URL is right, or unset REDIS_URL to let wardline run its own.`, { cause: e });
  }
  return redis;
}
