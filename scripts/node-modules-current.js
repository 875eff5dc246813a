#!/usr/bin/env node
/* global process */
// Exit 0 when node_modules holds every package at the version package-lock.json asks for, 1 when
// not. Compares contents, not mtimes: a git checkout or worktree touches package-lock.json
// without changing it.
import { readFileSync } from 'node:fs';

const read = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).packages ?? {};
  } catch {
    return null;
  }
};
const wanted = read('package-lock.json');
const installed = read('node_modules/.package-lock.json');
if (!wanted || !installed) process.exit(1);
for (const [path, pkg] of Object.entries(wanted)) {
  if (!path || pkg.optional || pkg.link) continue;
  if (installed[path]?.version !== pkg.version) process.exit(1);
}
process.exit(0);
