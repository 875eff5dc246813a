/**
 * How long the `wardline` command takes to start: `--help` and `parse` (one message on stdin, no
 * database) through bin/wardline.js on the compiled dist/, against the sources through tsx's loader
 * (what bin/wardline.js did before there was a build) as the baseline, interleaved in the same run.
 * Builds dist/ first when it is stale. Target: `--help` p50 ≤ 1 s built. Prints, never asserts.
 *   npm run bench:cli [-- --rounds 10]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, percentile } from './support.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const arg = process.argv.indexOf('--rounds');
const ROUNDS = arg > 0 ? Number(process.argv[arg + 1]) : 10;
const MESSAGE = '{"text":"fly-tipping again on Slade Road, Erdington"}\n';

const built = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0 && built.status !== 2) throw new Error('the build failed');

const ways = {
  built: ['bin/wardline.js'],
  tsx: ['--import', 'tsx', 'src/cli/main.ts'],
} as const;
const commands = { '--help': { args: ['--help'], input: '' }, parse: { args: ['parse'], input: MESSAGE } } as const;

function once(way: readonly string[], command: { args: readonly string[]; input: string }): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...way, ...command.args], { cwd: root, input: command.input, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${way.join(' ')} ${command.args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const times = new Map<string, number[]>();
for (const [name, command] of Object.entries(commands)) {
  for (const way of Object.values(ways)) once(way, command); // warm the file cache and tsx's cache
  for (let i = 0; i < ROUNDS; i++) {
    for (const [wayName, way] of Object.entries(ways)) {
      const key = `${name}\t${wayName}`;
      times.set(key, [...(times.get(key) ?? []), once(way, command)]);
    }
  }
}

console.log(`wardline start time, ${ROUNDS} runs each (ms), node ${process.versions.node}`);
console.log('command\tway\tp50\tp95');
const p50 = new Map<string, number>();
for (const [key, list] of times) {
  const sorted = [...list].sort((a, b) => a - b);
  p50.set(key, percentile(sorted, 50));
  console.log(`${key}\t${fmt(percentile(sorted, 50), 0)}\t${fmt(percentile(sorted, 95), 0)}`);
}
for (const name of Object.keys(commands)) {
  console.log(`${name}: built is ${fmt(p50.get(`${name}\ttsx`)! / p50.get(`${name}\tbuilt`)!)}× faster than tsx (p50)`);
}
