export const repoRoot: string;
export const distDir: string;
export const srcDir: string;
export const stampFile: string;
export function newestSourceMtime(root?: string): number;
export type BuildState = 'fresh' | 'stale' | 'missing' | 'no-sources';
export function buildState(root?: string): BuildState;
