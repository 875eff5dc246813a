#!/usr/bin/env node
/* global process */
// The wardline command. Runs the compiled code in dist/ when it is current (`npm run build`; the
// README's scripts and the tests build when needed); in a source checkout without a current build
// it runs the TypeScript sources through tsx, which is correct but takes seconds to start.
// No static imports: the Node version check must run before anything that needs a newer Node.
const [major, minor] = process.versions.node.split('.').map(Number);
// node:zlib's crc32 (the Teams app package, the digest chart's PNG) arrived in 20.15 and 22.2.
if (major < 20 || (major === 20 && minor < 15) || major === 21 || (major === 22 && minor < 2)) {
  process.stderr.write(`wardline needs Node.js 20.15 or newer (22.2 or newer on 22); this is ${process.versions.node}. Install a current Node.js LTS and run again.\n`);
  process.exit(1);
}

// `wardline start` stops on SIGTERM/SIGINT from its first moment: until the command installs its
// own handlers (src/cli/stop-signals.ts, which removes these), a signal while modules still load
// exits at once and says so, rather than the silent death that is Node's default.
if (process.argv[2] === 'start') {
  const earlyStop = (signal) => {
    process.stderr.write(`Stopping wardline (${signal}).\nStopped during start-up.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  globalThis[Symbol.for('wardline.earlyStop')] = earlyStop;
  process.on('SIGTERM', earlyStop);
  process.on('SIGINT', earlyStop);
}

const { buildState } = await import('../scripts/build-state.js');
const state = buildState();
if (state === 'fresh' || state === 'no-sources') {
  await import('../dist/cli/main.js');
} else {
  if (process.stderr.isTTY) {
    process.stderr.write(`wardline: ${state === 'stale' ? 'dist/ is older than src/' : 'no build in dist/'}; running the sources through tsx (slower). \`npm run build\` to start faster.\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
