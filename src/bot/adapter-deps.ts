import type { CaseContext } from '../cases/case-service.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { ConversationFlows } from './flows/conversation-flows.js';

/** What every chat adapter is given by the composition root, beside its platform's settings. */
export interface AdapterDeps {
  /** Channels (ids or names) where every message is read, not only mentions. */
  listenChannels: string[];
  db: Db;
  clock: Clock;
  logger: Logger;
  zone: string;
  flows: ConversationFlows;
  loadContext: () => Promise<CaseContext>;
  /** Called after a person's chat id was learnt, so the directory is read again. */
  invalidateContext?: () => void;
}
