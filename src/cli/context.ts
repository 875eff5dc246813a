import { loadConfig } from '../config.js';
import { openCore, type Core } from '../main.js';
import { createLogger } from '../shared/logger.js';

/** Opens the core for one CLI command and always closes it. */
export async function withCore<T>(fn: (core: Core) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const core = await openCore(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL));
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
