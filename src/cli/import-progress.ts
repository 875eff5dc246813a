import cliProgress from 'cli-progress';

/** A progress bar on stderr for imports over 1,000 lines; silent otherwise or when stderr is no terminal. */
export function importProgress(lines: number, label: string): { update(done: number): void; stop(): void } {
  if (lines <= 1000) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} lines`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000,
  }, cliProgress.Presets.shades_classic);
  bar.start(lines, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

export const countLines = (text: string) => text.split('\n').filter((l) => l.trim()).length;
