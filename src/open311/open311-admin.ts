import type { Catalogue } from '../catalogue/catalogue.js';
import type { Db } from '../db/client.js';
import { recordAudit } from '../db/audit-repo.js';
import { ensureClientPerson, findKeyByName, insertKey, listKeys, replaceBoundaries, revokeKey } from '../db/open311-repo.js';
import { AppError } from '../shared/errors.js';
import { hashApiKey, newApiKey } from './api-keys.js';
import { parseWardBoundaries } from './ward-boundaries.js';

/** Creates a client's key; the key is returned once and only its hash is kept. */
export async function createClientKey(db: Db, opts: { name: string; ratePerMinute: number; actor: string; at: Date }): Promise<{ key: string; name: string }> {
  const name = opts.name.trim();
  if (!/^[\w .-]{1,80}$/.test(name)) throw new AppError('input.invalid', 'A key name is 1 to 80 letters, digits, spaces, dots, dashes or underscores, e.g. "FixMyStreet".');
  if (!Number.isInteger(opts.ratePerMinute) || opts.ratePerMinute < 1 || opts.ratePerMinute > 100_000) throw new AppError('input.invalid', '--rate must be a whole number of requests a minute, 1 to 100000.');
  const key = newApiKey();
  await db.transaction(async (tx) => {
    if (await findKeyByName(tx, name)) throw new AppError('input.invalid', `There is already a key called "${name}"; revoke it first or pick another name.`);
    const personId = await ensureClientPerson(tx, name);
    await insertKey(tx, { name, keyHash: hashApiKey(key), personId, ratePerMinute: opts.ratePerMinute, at: opts.at });
    await recordAudit(tx, { actor: opts.actor, action: 'open311.key_created', detail: { name, ratePerMinute: opts.ratePerMinute } }, opts.at);
  });
  return { key, name };
}

export async function revokeClientKey(db: Db, opts: { name: string; actor: string; at: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    const k = await findKeyByName(tx, opts.name);
    if (!k) throw new AppError('input.invalid', `There is no key called "${opts.name}"; \`wardline open311 keys list\` shows them.`);
    if (k.revokedAt) throw new AppError('input.invalid', `The key "${k.name}" was already revoked.`);
    await revokeKey(tx, k.id, opts.at);
    await recordAudit(tx, { actor: opts.actor, action: 'open311.key_revoked', detail: { name: k.name } }, opts.at);
  });
}

export async function listClientKeys(db: Db) {
  return (await listKeys(db)).map((k) => ({ name: k.name, ratePerMinute: k.ratePerMinute, createdAt: k.createdAt, revokedAt: k.revokedAt }));
}

/** Loads ward boundaries: all or nothing; returns the wards without a boundary (cases there go to triage). */
export async function importWardBoundaries(db: Db, opts: { text: string; source: string; catalogue: Catalogue; actor: string; at: Date }): Promise<{ loaded: number; missing: string[] }> {
  const parsed = parseWardBoundaries(opts.text, opts.catalogue.wards);
  if (!parsed.ok) throw new AppError('input.invalid', `${opts.source} was not loaded (nothing changed):\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`);
  await db.transaction(async (tx) => {
    await replaceBoundaries(tx, parsed.boundaries, opts.source, opts.at);
    await recordAudit(tx, { actor: opts.actor, action: 'wards.boundaries_imported', detail: { source: opts.source, wards: parsed.boundaries.length } }, opts.at);
  });
  return { loaded: parsed.boundaries.length, missing: parsed.missing };
}
