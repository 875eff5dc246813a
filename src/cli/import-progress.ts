import cliProgress from 'cli-progress';

/** A progress bar on stderr for imports of over 1,000 rows (redrawn on a terminal, a line every 2 s elsewhere); silent for smaller ones. */
export function importProgress(rows: number, label: string): { update(done: number): void; stop(): void } {
  if (rows <= 1000) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} rows`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000,
  }, cliProgress.Presets.shades_classic);
  bar.start(rows, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

