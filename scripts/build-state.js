/* global URL */
// Whether dist/ holds a build of the current sources: cheap enough to ask at every CLI start (a
// stat of each file and folder under src/, about 2 ms). The build records the newest mtime it saw
// before compiling; any later edit, new, renamed or deleted file (a folder's mtime changes too)
// makes the build stale.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const distDir = join(repoRoot, 'dist');
export const srcDir = join(repoRoot, 'src');
export const stampFile = join(distDir, '.build-stamp');
/** Files outside src/ that change what the build produces. */
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json'];

/** The newest mtime (ms) among the sources, their folders and the build's settings. */
export function newestSourceMtime(root = repoRoot) {
  let newest = 0;
  const walk = (dir) => {
    newest = Math.max(newest, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  for (const file of BUILD_INPUTS) newest = Math.max(newest, statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

/** 'fresh', 'stale' (dist/ is older than the sources), 'missing' (no build) or 'no-sources' (an installed copy with dist/ only). */
export function buildState(root = repoRoot) {
  let built;
  try {
    built = Number(readFileSync(join(root, 'dist', '.build-stamp'), 'utf8'));
  } catch {
    return statSync(join(root, 'src'), { throwIfNoEntry: false }) ? 'missing' : 'no-sources';
  }
  if (!statSync(join(root, 'src'), { throwIfNoEntry: false })) return 'no-sources';
  return Number.isFinite(built) && newestSourceMtime(root) <= built ? 'fresh' : 'stale';
}
