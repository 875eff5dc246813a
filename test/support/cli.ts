import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `wardline` command as a child process. */
export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', WARDLINE_DB_GUARD: process.env.WARDLINE_DB_GUARD, ...opts.env };
    const child = spawn(process.execPath, [`${repoRoot}bin/wardline.js`, ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Imports the fixture people, clusters and routing table through the CLI, failing on any complaint. */
export async function importFixtureCsvs(env: Record<string, string>): Promise<void> {
  for (const [cmd, file] of [['people', 'people.csv'], ['clusters', 'clusters.csv'], ['routes', 'routes-good.csv']] as const) {
    const r = await runCli([cmd, 'import', fixture(`csv/${file}`)], { env });
    if (r.code !== 0 || r.stderr) throw new Error(`${cmd} import failed (${r.code}): ${r.stderr}`);
  }
}
