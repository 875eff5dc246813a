import type { CaseContext, CaseService } from './cases/case-service.js';
import type { Config } from './config.js';
import type { DbHandle, Tx } from './db/client.js';
import { createOpen311Service } from './open311/open311-service.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { open311Plugin } from './web/open311/open311-plugin.js';
import type { WebPlugin } from './web/server.js';

/** What Open311 needs of the core (the composition root's `Core` has it all). */
export interface Open311CoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  dbh: DbHandle;
  casesOn(tx: Tx, ctx: CaseContext): CaseService;
  loadContext(): Promise<CaseContext>;
  invalidateContext(): void;
}

/** Open311 GeoReport v2 under /open311/v2, as a plugin for the front door. */
export function open311WebPlugin(core: Open311CoreParts): WebPlugin {
  const service = createOpen311Service({
    db: core.dbh.db, casesOn: core.casesOn, clock: core.clock, logger: core.logger, loadContext: core.loadContext,
    invalidateContext: core.invalidateContext, jurisdictionId: core.config.OPEN311_JURISDICTION_ID, contact: core.config.OPEN311_CONTACT,
  });
  return open311Plugin(service);
}
