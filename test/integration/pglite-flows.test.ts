import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/bot/chat-port.js';
import { FixedClock } from '../../src/shared/clock.js';
import { openLocalFlows } from '../support/local-flows.js';

const dir = mkdtempSync(join(tmpdir(), 'wardline-pglite-flows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** PGlite has one connection: a turn's transaction must never wait on the database handle itself. */
describe('the conversation flows on embedded PGlite', () => {
  it('opens one case for identical messages handled at once, asks "Same as" for the rest, and ignores a repeat', async () => {
    const clock = new FixedClock('2026-11-02T10:00:00Z');
    const { core, flows } = await openLocalFlows(dir, clock);
    try {
      const message = (n: number): InboundEvent => ({
        kind: 'message', eventId: `pg-${n}`, address: { platform: 'local', channelId: 'dm-x', threadId: null }, messageId: String(n),
        channelName: 'wardline', isDirect: true, mentionsBot: false, listening: false, userExternalId: 'cllr-erd',
        text: 'Fly-tipping on Slade Road, Erdington\u0000', attachments: [],
      });
      const replies = await Promise.all([1, 2, 3, 4].map((n) => flows.handle(message(n))));
      expect(replies.every((r) => !r.failed)).toBe(true);
      expect(await flows.handle(message(1))).toEqual({});
      const result = await core.dbh.db.execute(sql`select (select count(*)::int from cases) as cases,
        (select count(*)::int from intake_drafts where parsed->>'kind' = 'duplicate') as prompts`) as unknown as { rows: unknown[] };
      expect(result.rows).toEqual([{ cases: 1, prompts: 3 }]);
    } finally {
      await core.close();
    }
  }, 120_000);
});
