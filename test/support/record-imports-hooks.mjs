/* global process */
// Module resolution hooks (run off the main thread): record each resolved URL.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.WARDLINE_IMPORTS_LOG) appendFileSync(process.env.WARDLINE_IMPORTS_LOG, `${resolved.url}\n`);
  return resolved;
}
