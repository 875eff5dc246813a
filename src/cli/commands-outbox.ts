import type { Command } from 'commander';
import { formatLondonIso } from '../cases/sla.js';
import { listFailedOutbox, retryFailedOutbox } from '../db/outbox-delivery-repo.js';
import { AppError } from '../shared/errors.js';
import { withCore } from './context.js';
import { printJson } from './output.js';

export function registerOutboxCommands(program: Command): void {
  const outbox = program.command('outbox').description('Outbound chat messages that wardline delivers');
  outbox.command('failed').description('List messages that could not be delivered, newest first')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => withCore(async (core) => {
      const rows = await listFailedOutbox(core.dbh.db);
      const list = rows.map((r) => ({ id: r.id, platform: r.platform, target: r.target, attempts: r.attempts, error: r.lastError, createdAt: formatLondonIso(r.createdAt, core.config.TZ_COUNCIL) }));
      if (opts.json) return printJson(list);
      if (!list.length) return console.log('No failed messages.');
      for (const r of list) console.log(`${r.id}\t${r.platform}\t${r.target}\t${r.attempts} attempts\t${r.error ?? ''}`);
    }));
  outbox.command('retry').description('Send failed messages again: one by id, or --all')
    .argument('[id]', 'the message id from "outbox failed"')
    .option('--all', 'every failed message')
    .action((id: string | undefined, opts: { all?: boolean }) => withCore(async (core) => {
      if (!id && !opts.all) throw new AppError('input.invalid', 'Say which message to retry (an id from "wardline outbox failed") or --all.');
      const n = id ? Number(id) : undefined;
      if (id && !Number.isInteger(n)) throw new AppError('input.invalid', `"${id}" is not a message id; ids are numbers.`);
      const count = await retryFailedOutbox(core.dbh.db, core.clock.now(), n);
      if (id && !count) throw new AppError('input.invalid', `There is no failed message ${id}.`);
      console.log(`${count} message${count === 1 ? '' : 's'} queued again.`);
    }));
}
