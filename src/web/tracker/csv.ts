import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * A CSV file as bytes: a byte-order mark and the header, then each batch as it comes. Counted in
 * bytes, not batches: at most 64 KiB waits beside the batch being written, so the next batch is
 * asked for (read from the database) only as the reader takes the last.
 */
export function csvStream(header: string[], batches: AsyncIterable<unknown[][]>): Readable {
  async function* text() {
    yield `\uFEFF${csvLine(header)}`;
    for await (const batch of batches) {
      let chunk = '';
      for (const row of batch) chunk += csvLine(row);
      yield chunk;
    }
  }
  return Readable.from(text(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** Streams a CSV download; fastify pipes it to the socket, waiting for `drain` when the browser is slower. */
export function sendCsv(reply: FastifyReply, filename: string, header: string[], batches: AsyncIterable<unknown[][]>): FastifyReply {
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`);
  reply.header('cache-control', 'no-store');
  return reply.send(csvStream(header, batches));
}

export async function* once<T>(rows: T[]): AsyncGenerator<T[]> {
  yield rows;
}
