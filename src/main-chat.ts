import type { Redis } from 'ioredis';
import { createChatDeliverer } from './bot/chat-deliverer.js';
import type { ChatSender } from './bot/chat-port.js';
import { createConversationFlows, type ConversationFlows } from './bot/flows/conversation-flows.js';
import { createDigestNotifier, createSlaNotifier } from './bot/job-notifiers.js';
import { WorkspaceEvents } from './bot/local/workspace-events.js';
import { createSlackAdapter, type SlackAdapter } from './bot/slack/slack-adapter.js';
import { createSlackSender, slackRateRules } from './bot/slack/slack-sender.js';
import { createTeamsSender, teamsRateRules } from './bot/teams/teams-sender.js';
import { createWorkspaceSender } from './bot/local/workspace-sender.js';
import { outbound, personTarget } from './bot/outbound.js';
import { platformFor } from './bot/case-notifier.js';
import { DEFAULT_REMINDER_SETTINGS } from './cases/sla-plan.js';
import type { OutboxRow } from './db/outbox-delivery-repo.js';
import { outboxDepth } from './db/outbox-delivery-repo.js';
import { enqueueOutbound } from './db/outbox-repo.js';
import { pruneProcessed } from './db/processed-events-repo.js';
import { pruneInbound } from './db/inbound-repo.js';
import { ensureChannel } from './db/workspace-repo.js';
import { hasRole } from './directory/person.js';
import { planDigests, sendDigest } from './jobs/digest-jobs.js';
import { startJobRuntime, type JobRuntime } from './jobs/job-runtime.js';
import { startDeliveryLoop, type Deliverer } from './jobs/outbox-delivery.js';
import { RateLimiter } from './jobs/rate-limiter.js';
import { runSlaSweep } from './jobs/sla-sweep.js';
import type { Core, ProcessRole } from './main.js';
import type { FastifyInstance } from 'fastify';
import { rawRoutes } from './web/raw-routes.js';
import { workspaceApi } from './web/workspace-api.js';
import { workspacePage } from './web/workspace-page.js';

export interface ChatRuntime {
  flows: ConversationFlows;
  jobs: JobRuntime | null;
  /** The Slack adapter when Slack is on. */
  slack: SlackAdapter | null;
  /** Delivers what is due now (tests and the web role nudge it). */
  wakeDelivery(): void;
  /** Mounts the chat adapters' endpoints and the workspace on the web server (a fastify plugin). */
  routes(app: FastifyInstance): Promise<void>;
  closeStreams(): void;
  stop(): Promise<void>;
}

/**
 * Part of the composition root: chat adapters, the conversation flows, the outbox delivery
 * worker and the background jobs, wired to the core. Worker and all roles deliver and run jobs.
 */
export async function startChatRuntime(o: { core: Core; redis: Redis; redisUrl: string; role: ProcessRole; prefix: string }): Promise<ChatRuntime> {
  const { core, redis } = o;
  const { config, logger, clock, dbh } = core;
  const db = dbh.db;
  const workspaceOn = core.platforms.includes('local');
  const events = new WorkspaceEvents(redis, o.redisUrl, `${o.prefix}:workspace`);
  const senders: ChatSender[] = workspaceOn ? [createWorkspaceSender({ db, clock, events })] : [];
  let delivery: ReturnType<typeof startDeliveryLoop> | null = null;
  const flows = createConversationFlows({
    db, clock, cases: core.cases, casesOn: core.casesOn, loadContext: core.loadContext, logger, zone: config.TZ_COUNCIL, platforms: core.platforms,
    acceptStrangers: config.WARDLINE_STRANGERS === 'accept', invalidateContext: core.invalidateContext,
    afterTurn: () => delivery?.wake(),
  });
  const slack = config.SLACK_BOT_TOKEN && core.platforms.includes('slack') ? createSlackAdapter({
    botToken: config.SLACK_BOT_TOKEN, signingSecret: config.SLACK_SIGNING_SECRET, inboundBatch: config.WARDLINE_INBOUND_BATCH, appToken: config.SLACK_APP_TOKEN, apiUrl: config.SLACK_API_URL,
    listenChannels: config.SLACK_LISTEN_CHANNELS.split(',').map((c) => c.trim()).filter(Boolean),
    db, clock, logger: logger.child({ platform: 'slack' }), zone: config.TZ_COUNCIL, flows, loadContext: core.loadContext, invalidateContext: core.invalidateContext,
  }) : null;
  const teamsOn = core.platforms.includes('teams');
  if (teamsOn && !config.MICROSOFT_APP_ID) logger.warn('Teams is on WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=1): anyone who can reach /api/messages can act as anyone. Set MICROSOFT_APP_ID for real use.');
  // Loaded only when Teams is on: teams-ai and the Bot Framework hold some 70 MB of a process's memory.
  const teams = teamsOn ? (await import('./bot/teams/teams-adapter.js')).createTeamsAdapter({
    appId: config.MICROSOFT_APP_ID, appPassword: config.MICROSOFT_APP_PASSWORD, tenantId: config.MICROSOFT_APP_TENANT_ID, appType: config.MICROSOFT_APP_TYPE,
    openIdMetadataUrl: config.TEAMS_OPENID_METADATA_URL, loginUrl: config.TEAMS_LOGIN_URL,
    listenChannels: config.TEAMS_LISTEN_CHANNELS.split(',').map((c) => c.trim()).filter(Boolean),
    db, clock, logger: logger.child({ platform: 'teams' }), zone: config.TZ_COUNCIL, flows, loadContext: core.loadContext, invalidateContext: core.invalidateContext,
  }) : null;
  const rules = { slack: slackRateRules, teams: teamsRateRules } as Record<string, typeof slackRateRules>;
  if (slack) senders.push(createSlackSender(slack.client, slack.call));
  if (teams) senders.push(createTeamsSender({ db, clock, connector: teams.connector, lists: teams.lists, serviceUrl: config.TEAMS_SERVICE_URL, tenantId: config.MICROSOFT_APP_TENANT_ID }));
  const deliverers: Deliverer[] = senders.map((sender) => createChatDeliverer({
    db, sender, clock, zone: config.TZ_COUNCIL, loadContext: core.loadContext, rateRules: rules[sender.platform] ?? (() => []),
  }));

  /** A message that failed for good: the admins hear of it (but not of failures of those notices). */
  const onFailed = async (row: OutboxRow, error: string) => {
    if (row.idempotencyKey.startsWith('failed:')) return;
    const ctx = await core.loadContext();
    const msgs = ctx.directory.people.filter((p) => p.active && hasRole(p, 'admin')).flatMap((a) => {
      const platform = platformFor(a, null, core.platforms);
      return platform ? [outbound(platform, personTarget(a.id), `failed:${row.id}:${a.id}`, {
        op: 'post', to: { kind: 'person', personId: a.id },
        render: { kind: 'message', message: { type: 'notice', text: `A ${row.platform} message (outbox ${row.id}) could not be delivered: ${error}. See \`wardline outbox failed\`; \`wardline outbox retry ${row.id}\` sends it again.` } },
      })] : [];
    });
    await enqueueOutbound(db, msgs, null, clock.now());
  };

  const stops: (() => Promise<void>)[] = [];
  let jobs: JobRuntime | null = null;
  if (o.role !== 'web') {
    const limiter = new RateLimiter(redis, o.prefix);
    delivery = startDeliveryLoop({
      db, clock, logger, limiter, deliverers, onFailed,
      onOutcome: (platform, outcome) => core.metrics.deliveries.labels(platform, outcome).inc(),
    }, {
      // Opening cases from stored events comes first: a case's card is safe in the outbox, and
      // delivery takes at most a quarter of the time while events wait.
      yieldTo: () => slack?.busy() ?? false,
    });
    stops.push(() => delivery!.stop());
    const settings = {
      leadHours: config.REMINDER_LEAD_HOURS ?? DEFAULT_REMINDER_SETTINGS.leadHours,
      urgentLeadHours: config.REMINDER_URGENT_LEAD_HOURS ?? DEFAULT_REMINDER_SETTINGS.urgentLeadHours,
      seniorAfterWorkingHours: config.ESCALATE_SENIOR_AFTER_HOURS ?? DEFAULT_REMINDER_SETTINGS.seniorAfterWorkingHours,
    };
    const digestDeps = { db, zone: config.TZ_COUNCIL, loadContext: core.loadContext, notify: createDigestNotifier({ platforms: core.platforms }) };
    jobs = await startJobRuntime({
      redisUrl: o.redisUrl, prefix: o.prefix, zone: config.TZ_COUNCIL, logger, workers: true, now: () => clock.now(),
      handlers: {
        slaSweep: async (now) => {
          const r = await runSlaSweep({
            db, clock: { now: () => now }, calendar: core.calendar, settings, loadContext: core.loadContext,
            notify: createSlaNotifier({ platforms: core.platforms, zone: config.TZ_COUNCIL }),
          });
          if (r.actions) delivery?.wake();
          // Chat deliveries are remembered for a day (Slack retries within the hour) to refuse repeats.
          await pruneProcessed(db, new Date(now.getTime() - 24 * 3600_000));
          await pruneInbound(db, new Date(now.getTime() - 24 * 3600_000));
          return r;
        },
        planDigests: (now) => planDigests(digestDeps, now),
        sendDigest: async (p, now) => { const r = await sendDigest(digestDeps, p, now); delivery?.wake(); return r; },
      },
      onJob: (queue, outcome, seconds) => core.metrics.jobDuration.labels(queue, outcome).observe(seconds),
    });
    stops.push(jobs.stop);
  }

  const depth = core.metrics.queueDepth;
  core.metrics.depthSource.read = async () => {
    const byStatus = await outboxDepth(db).catch(() => ({} as Record<string, number>));
    for (const s of ['pending', 'sending', 'failed']) depth.labels('outbox', s).set(byStatus[s] ?? 0);
    if (jobs) {
      for (const [name, q] of Object.entries(jobs.queues)) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => ({} as Record<string, number>));
        for (const [state, n] of Object.entries(counts)) depth.labels(name, state).set(n);
      }
    }
  };

  // HTTP mode is mounted by the web role, which stores each event and acks; the worker role handles
  // what was stored (in `all`, one process does both). Socket Mode connects from the worker role.
  if (slack && o.role !== 'web') {
    await slack.start();
    stops.push(() => slack.stop());
  }

  let closeStreams = () => undefined as void;
  return {
    flows, jobs, slack,
    wakeDelivery: () => delivery?.wake(),
    async routes(app) {
      const port = rawRoutes(app);
      slack?.addRoutes(port);
      teams?.addRoutes(port);
      if (!workspaceOn) return;
      await seedWorkspaceChannels(core);
      const api = workspaceApi({ db, clock, flows, events, loadContext: core.loadContext });
      closeStreams = api.closeStreams;
      await api.plugin(app);
      await workspacePage(app);
    },
    closeStreams: () => closeStreams(),
    async stop() {
      for (const s of stops.reverse()) await s().catch((e) => logger.warn({ err: e }, 'stop failed'));
      events.close();
    },
  };
}

/** The workspace's shared channels: a general one and one per ward that has a councillor, all listening. */
async function seedWorkspaceChannels(core: Core): Promise<void> {
  const ctx = await core.loadContext();
  const now = core.clock.now();
  await ensureChannel(core.dbh.db, { id: 'general', name: 'councillors-general', kind: 'channel', personId: null, listening: true }, now);
  const wards = new Set(ctx.directory.people.filter((p) => p.active && hasRole(p, 'councillor')).flatMap((p) => p.wardIds));
  for (const w of wards) {
    const ward = ctx.index.ward(w);
    if (ward) await ensureChannel(core.dbh.db, { id: `ward-${w}`, name: `${w}-ward`, kind: 'channel', personId: null, listening: true }, now);
  }
}
