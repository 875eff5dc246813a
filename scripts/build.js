#!/usr/bin/env node
/* global process, performance */
// `npm run build`: compiles src/ to dist/ with tsc, copies what the runtime reads beside the code
// (every non-TypeScript file under src/, e.g. src/web/static), removes output whose source is gone,
// and writes dist/.build-stamp last. `--if-stale` does nothing when dist/ is already current.
// Paths that leave src/ (drizzle/, catalogue/, package.json) resolve the same from dist/: it sits
// at the same depth.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildState, distDir, newestSourceMtime, repoRoot, srcDir, stampFile } from './build-state.js';

/** Builds dist/. Returns tsc's exit code: 0 clean, 2 type errors reported but dist/ written, 1 nothing written. */
export function build({ ifStale = false, quiet = false } = {}) {
  if (ifStale && buildState() === 'fresh') return 0;
  const started = performance.now();
  rmSync(stampFile, { force: true });
  const sourcesAt = newestSourceMtime();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.build.json')], { cwd: repoRoot, stdio: 'inherit' });
  // tsc exits 0 when clean, 2 when it reported errors but wrote the output, 1 when it wrote nothing.
  if (r.status !== 0 && r.status !== 2) {
    process.stderr.write('wardline: the build failed; nothing was written to dist/.\n');
    return 1;
  }
  copyAssets();
  removeOrphans(distDir);
  writeFileSync(stampFile, String(sourcesAt));
  if (!quiet) process.stderr.write(`wardline: built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s${r.status === 2 ? ' (with type errors: see above)' : ''}\n`);
  return r.status;
}

function copyAssets() {
  cpSync(srcDir, distDir, { recursive: true, filter: (from) => !from.endsWith('.ts') });
}

/** Output whose source was deleted or renamed. */
function removeOrphans(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(distDir, path);
    if (entry.isDirectory()) {
      if (!existsSync(join(srcDir, rel))) rmSync(path, { recursive: true, force: true });
      else removeOrphans(path);
    } else if (rel.endsWith('.js') && !existsSync(join(srcDir, rel.replace(/\.js$/, '.ts'))) && !existsSync(join(srcDir, rel))) {
      rmSync(path, { force: true });
    }
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  mkdirSync(dirname(stampFile), { recursive: true });
  process.exitCode = build({ ifStale: process.argv.includes('--if-stale') });
}
