import type { Redis } from 'ioredis';
import type { Core } from './main.js';
import type { ChatRuntime } from './main-chat.js';
import { startWebServer, type WebPlugin, type WebServer } from './web/server.js';

/**
 * The front door of a web process: the chat adapters' endpoints and the workspace, the Ward
 * Action Tracker, Open311, then whatever `extra` adds. The tracker and Open311 are loaded only
 * here, when a process serves HTTP.
 */
export async function startFrontDoor(o: { core: Core; redis: Redis; chat: ChatRuntime; extra?: WebPlugin[] }): Promise<WebServer> {
  const { core, redis, chat } = o;
  const tracker: WebPlugin = async (app) => (await import('./web/tracker/mount.js')).trackerWebPlugin(core)(app);
  const open311: WebPlugin = async (app) => (await import('./main-open311.js')).open311WebPlugin(core)(app);
  return startWebServer({
    host: core.config.HOST, port: core.config.PORT, logger: core.logger, metrics: core.metrics,
    plugins: [chat.routes, tracker, open311, ...(o.extra ?? [])],
    readiness: [
      { name: 'database', check: () => core.dbh.ping() },
      { name: 'redis', check: async () => { await redis.ping(); } },
    ],
  });
}
