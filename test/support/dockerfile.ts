import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

/** What the container image's final stage holds and runs, as the Dockerfile says. */
export interface ImageSpec { copies: string[]; env: Record<string, string>; entrypoint: string[]; cmd: string[] }

/** Reads the Dockerfile's final stage: its COPY --from=build paths, ENV, ENTRYPOINT and CMD. */
export function readDockerfile(): ImageSpec {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const final = text.slice(text.lastIndexOf('\nFROM '));
  const json = (key: string) => JSON.parse(/^(?:ENTRYPOINT|CMD) (\[.*\])$/m.exec(final.split('\n').filter((l) => l.startsWith(key)).join('\n'))![1]!) as string[];
  const copies = [...final.matchAll(/^COPY --from=build \/app\/(\S+) /gm)].map((m) => m[1]!);
  const env: Record<string, string> = {};
  for (const line of final.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const m of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
  }
  return { copies, env, entrypoint: json('ENTRYPOINT'), cmd: json('CMD') };
}
