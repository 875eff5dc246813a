import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** Streams a CSV download: the header, then each batch as it comes from the database. */
export function sendCsv(reply: FastifyReply, filename: string, header: string[], batches: AsyncIterable<unknown[][]>): FastifyReply {
  async function* lines() {
    yield `\uFEFF${csvLine(header)}`;
    for await (const batch of batches) yield batch.map(csvLine).join('');
  }
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`);
  reply.header('cache-control', 'no-store');
  // Counted in bytes, not batches: at most 64 KiB waits beside the batch being written, so the
  // next batch is read from the database only as the browser takes the last.
  return reply.send(Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 }));
}

export async function* once<T>(rows: T[]): AsyncGenerator<T[]> {
  yield rows;
}
