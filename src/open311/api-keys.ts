import { createHash, randomBytes } from 'node:crypto';

/** A new client key: shown once; only its sha256 is stored. */
export function newApiKey(): string {
  return `wl311_${randomBytes(24).toString('base64url')}`;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
