import { readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../shared/errors.js';

export function readCsvFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('csv.invalid', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
}

/** Every bad line is reported, nothing is applied, exit code 1. */
export function failWithLines(file: string, errors: string[]): never {
  const shown = errors.slice(0, 200);
  const more = errors.length > shown.length ? `\n…and ${errors.length - shown.length} more` : '';
  throw new AppError('csv.invalid', `${file} was not imported; nothing changed. Fix these and import again:\n${shown.join('\n')}${more}`);
}

export function writeOut(file: string | undefined, text: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}
