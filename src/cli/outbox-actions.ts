import { formatLondonIso } from '../cases/sla.js';
import { listFailedOutbox, retryFailedOutbox } from '../db/outbox-delivery-repo.js';
import { AppError } from '../shared/errors.js';
import { withCore } from './context.js';
import { printJson } from './output.js';

/** `wardline outbox failed`. */
export const listFailed = (opts: { json?: boolean }) => withCore(async (core) => {
  const rows = await listFailedOutbox(core.dbh.db);
  const list = rows.map((r) => ({ id: r.id, platform: r.platform, target: r.target, attempts: r.attempts, error: r.lastError, createdAt: formatLondonIso(r.createdAt, core.config.TZ_COUNCIL) }));
  if (opts.json) return printJson(list);
  if (!list.length) return console.log('No failed messages.');
  for (const r of list) console.log(`${r.id}\t${r.platform}\t${r.target}\t${r.attempts} attempts\t${r.error ?? ''}`);
});

/** `wardline outbox retry ID|--all`. */
export function retry(id: string | undefined, opts: { all?: boolean }): Promise<void> {
  if (!id && !opts.all) throw new AppError('input.invalid', 'Say which message to retry (an id from "wardline outbox failed") or --all.');
  const n = id ? Number(id) : undefined;
  if (id && !Number.isInteger(n)) throw new AppError('input.invalid', `"${id}" is not a message id; ids are numbers.`);
  return withCore(async (core) => {
    const count = await retryFailedOutbox(core.dbh.db, core.clock.now(), n);
    if (id && !count) throw new AppError('input.invalid', `There is no failed message ${id}.`);
    console.log(`${count} message${count === 1 ? '' : 's'} queued again.`);
  });
}
