import { createConversationFlows, type ConversationFlows } from '../../src/bot/flows/conversation-flows.js';
import type { CaseContext } from '../../src/cases/case-service.js';
import { loadConfig } from '../../src/config.js';
import { linkChatIdentity } from '../../src/db/directory-repo.js';
import { openCore, type Core } from '../../src/main.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedFixtureDirectory } from './seed.js';

/**
 * A core on an embedded database in `dir` with the fixture directory, the Erdington councillor
 * known locally as `cllr-erd`, and the conversation flows for the local platform. `context` may
 * change the case context the flows see (a damaged intake model, say).
 */
export async function openLocalFlows(dir: string, clock: Clock, context: (c: CaseContext) => CaseContext = (c) => c): Promise<{ core: Core; flows: ConversationFlows }> {
  const core = await openCore(loadConfig({ WARDLINE_DATA_DIR: dir }), createLogger('silent'), { clock });
  try {
    const people = await seedFixtureDirectory(core.dbh.db);
    await linkChatIdentity(core.dbh.db, 'local', 'cllr-erd', people.get('cllr.erd@birmingham.example')!.id);
    core.invalidateContext();
  } catch (e) {
    await core.close();
    throw e;
  }
  const flows = createConversationFlows({
    db: core.dbh.db, clock, cases: core.cases, casesOn: core.casesOn, logger: core.logger, zone: 'Europe/London', platforms: ['local'],
    loadContext: async () => context(await core.loadContext()),
  });
  return { core, flows };
}
