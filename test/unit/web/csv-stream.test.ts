import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, csvStream } from '../../../src/web/tracker/csv.js';

const BATCHES = 400;
const ROWS = 100;
const rowOf = (i: number, j: number) => [i, j, `Row ${j}, of batch ${i}`];
const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((ok) => setImmediate(ok)); };

describe('csvStream', () => {
  it('asks for the next batch only as the reader takes the text (back-pressure)', async () => {
    let pulled = 0;
    async function* batches() {
      for (let i = 0; i < BATCHES; i++) { pulled++; yield Array.from({ length: ROWS }, (_, j) => rowOf(i, j)); }
    }
    const batchBytes = Buffer.byteLength(Array.from({ length: ROWS }, (_, j) => csvLine(rowOf(BATCHES - 1, j))).join(''));
    const ahead = Math.ceil((64 * 1024) / batchBytes) + 2;
    const stream = csvStream(['batch', 'row', 'text'], batches());
    stream.read(0);
    await turns(50);
    // Nobody is reading: the stream filled its 64 KiB and stopped asking.
    expect(pulled).toBeGreaterThan(1);
    expect(pulled).toBeLessThanOrEqual(ahead);
    let taken = 0;
    let lines = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      taken += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
      expect(pulled - Math.floor(taken / batchBytes)).toBeLessThanOrEqual(ahead);
    }
    expect(pulled).toBe(BATCHES);
    expect(lines).toBe(BATCHES * ROWS + 1);
  });

  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', 'one\ntwo', '=1+2', '+1', '-1', '@x', 'plain', null, 7])).toBe(
      '"a,b","say ""hi""","one\ntwo",\'=1+2,\'+1,\'-1,\'@x,plain,,7\r\n');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell(new Date('2026-11-02T10:00:00Z'))).toBe('2026-11-02T10:00:00.000Z');
  });
});
