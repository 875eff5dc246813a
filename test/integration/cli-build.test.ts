import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildState, newestSourceMtime } from '../../scripts/build-state.js';
import { repoRoot, runCli } from '../support/cli.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A checkout in miniature: src/ with files, dist/ stamped as the build does it. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'wardline-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), '');
  writeFileSync(join(root, 'src', 'config.ts'), '');
  const past = new Date(Date.now() - 60_000);
  for (const p of ['src/cli/main.ts', 'src/config.ts', 'src/cli', 'src']) utimesSync(join(root, p), past, past);
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', '.build-stamp'), String(newestSourceMtime(root)));
  return root;
}

describe('the built CLI', () => {
  it('is current after the test run built it, so `wardline` runs dist/', () => {
    expect(buildState()).toBe('fresh');
  });

  it('finds what it reads beside the code from dist/ as from src/: migrations, catalogue, static files', async () => {
    const { migrationsFolder } = await import(join(repoRoot, 'dist/db/client.js')) as { migrationsFolder: string };
    const { catalogueDir } = await import(join(repoRoot, 'dist/catalogue/default-catalogue.js')) as { catalogueDir: string };
    expect(existsSync(join(migrationsFolder, 'meta', '_journal.json'))).toBe(true);
    expect(existsSync(join(catalogueDir, 'wards.json'))).toBe(true);
    expect(existsSync(join(repoRoot, 'dist/web/static/workspace.html'))).toBe(true);
  });

  it('sees a build as stale after an edit, a new file or a deleted file, and says when there is none', () => {
    const root = checkout();
    expect(buildState(root)).toBe('fresh');
    utimesSync(join(root, 'src/config.ts'), new Date(), new Date());
    expect(buildState(root)).toBe('stale');

    const added = checkout();
    writeFileSync(join(added, 'src/cli/extra.ts'), '');
    expect(buildState(added)).toBe('stale');

    const deleted = checkout();
    rmSync(join(deleted, 'src/cli/main.ts'));
    expect(buildState(deleted)).toBe('stale');

    const none = checkout();
    rmSync(join(none, 'dist'), { recursive: true });
    expect(buildState(none)).toBe('missing');
    const installed = checkout();
    rmSync(join(installed, 'src'), { recursive: true });
    expect(buildState(installed)).toBe('no-sources');
  });

  it('answers --help without loading the database, chat or queue libraries', async () => {
    const r = await runCli(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wardline/);
    expect(r.stdout).toContain('sla');
  });

  it('refuses a Node.js older than 20.15 at once, saying what it needs', () => {
    const pretend = 'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"20.9.0"}});';
    const r = spawnSync(process.execPath, ['--import', pretend, join(repoRoot, 'bin/wardline.js'), '--help'], { encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('wardline needs Node.js 20.15 or newer (22.2 or newer on 22); this is 20.9.0. Install a current Node.js LTS and run again.\n');
  });
});
