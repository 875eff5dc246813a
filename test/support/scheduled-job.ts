import type { Queue } from 'bullmq';

/** A scheduled job's schedulers as tests compare them: key, pattern and time zone. */
export async function schedulersOf(queue: Queue): Promise<{ key: string; pattern: string | null | undefined; tz: string | null | undefined }[]> {
  return (await queue.getJobSchedulers()).map((s) => ({ key: s.key, pattern: s.pattern, tz: s.tz }));
}

/** Adds a job now and waits (up to 15 s) until the worker has run it at least once. */
export async function runNow(queue: Queue, runs: unknown[]): Promise<void> {
  await queue.add('now', {});
  const deadline = Date.now() + 15_000;
  while (!runs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
