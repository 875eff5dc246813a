import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One data row of a CSV file, with the line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export type CsvResult<T> = { ok: true } & T | { ok: false; errors: string[] };

/**
 * Reads a CSV the way councils' spreadsheets write it: UTF-8 BOM, CRLF, blank lines, quoted
 * cells with commas or newlines. Checks the header: `required` columns in this order, then any of
 * `optional`. Returns rows with line numbers, or the errors that stop the whole file.
 */
export function readCsv(text: string, required: readonly string[], optional: readonly string[] = []): { ok: true; rows: CsvRow[] } | { ok: false; errors: string[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) return { ok: false, errors: [`line 1: the file is empty; the first line must be the header ${required.join(',')}`] };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, { info: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return { ok: false, errors: [`line ${line ?? '?'}: ${(e as Error).message.replace(/^[^:]*: /, '').replace(/ at line \d+$/, '')}`] };
  }
  const [head, ...data] = records;
  const header = (head?.record ?? []).map((h) => h.trim().toLowerCase());
  const expected = [...required];
  const extra = header.slice(required.length);
  if (header.slice(0, required.length).join(',') !== required.join(',') || extra.some((h, i) => h !== optional[i])) {
    const opt = optional.length ? ` (optionally followed by ${optional.join(',')})` : '';
    return { ok: false, errors: [`line 1: the header must be ${expected.join(',')}${opt}; found ${header.join(',') || 'nothing'}`] };
  }
  const errors: string[] = [];
  const rows: CsvRow[] = [];
  for (const r of data) {
    // The record ends on info.lines; it starts as many lines earlier as its cells hold newlines.
    let inner = 0;
    for (const cell of r.record) if (cell.includes('\n')) inner += cell.split('\n').length - 1;
    const line = r.info.lines - inner;
    if (r.record.length > header.length) {
      errors.push(`line ${line}: ${r.record.length} cells, but the header has ${header.length}; quote cells that contain commas`);
      continue;
    }
    rows.push({ line, cells: Object.fromEntries(header.map((h, i) => [h, (r.record[i] ?? '').trim()])) });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/** `a;b; c` → ['a','b','c'] (empty cells give []). */
export const splitList = (cell: string): string[] => cell.split(';').map((s) => s.trim()).filter(Boolean);

/** Writes rows as CSV (header first), quoting where needed, with \n line ends. */
export function writeCsv(header: readonly string[], rows: string[][]): string {
  return stringify([header as string[], ...rows], { record_delimiter: 'unix' });
}

/** Collects per-line problems; each line's problems are joined into one message. */
export class LineErrors {
  private readonly byLine = new Map<number, string[]>();
  add(line: number, message: string): void {
    this.byLine.set(line, [...(this.byLine.get(line) ?? []), message]);
  }
  has(line: number): boolean {
    return this.byLine.has(line);
  }
  get size(): number {
    return this.byLine.size;
  }
  list(): string[] {
    return [...this.byLine.entries()].sort((a, b) => a[0] - b[0]).map(([line, msgs]) => `line ${line}: ${msgs.join('; ')}`);
  }
}
