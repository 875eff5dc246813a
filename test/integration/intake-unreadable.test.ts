import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/bot/chat-port.js';
import type { IntakeModel } from '../../src/intake/model/intake-model.js';
import { FixedClock } from '../../src/shared/clock.js';
import { openLocalFlows } from '../support/local-flows.js';

const dir = mkdtempSync(join(tmpdir(), 'wardline-unreadable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A model whose every reading throws, as a damaged council model would. */
const broken = { thresholds: { chatter: 0.5, abstain: 0.5, segment: 0.5, share: 0.1, extra: 0.5 }, softmax: null, gate: null, multi: null } as unknown as IntakeModel;

describe('a message wardline cannot read', () => {
  it('tells the councillor it could not be read and keeps it as a clarify draft, opening nothing', async () => {
    const clock = new FixedClock('2026-11-02T10:00:00Z');
    const { core, flows } = await openLocalFlows(dir, clock, (c) => ({ ...c, intakeModel: broken }));
    try {
      const text = 'Bins missed again on Slade Road, Erdington';
      const ev: InboundEvent = {
        kind: 'message', eventId: 'unreadable-1', address: { platform: 'local', channelId: 'dm-x', threadId: null }, messageId: '1',
        channelName: 'wardline', isDirect: true, mentionsBot: false, listening: false, userExternalId: 'cllr-erd', text, attachments: [],
      };
      expect((await flows.handle(ev)).failed).toBeUndefined();
      const rows = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;
      const drafts = rows(await core.dbh.db.execute(sql`select text, parsed->>'kind' as kind, status from intake_drafts`));
      expect(drafts).toEqual([{ text, kind: 'clarify', status: 'open' }]);
      const said = rows(await core.dbh.db.execute(sql`select payload::text as payload from outbox`)).map((r) => String(r.payload)).join('\n');
      expect(said).toContain('wardline could not read that message, but it is kept.');
      expect(said).toContain('Something else');
      const cases = rows(await core.dbh.db.execute(sql`select count(*)::int as n from cases`));
      expect(cases).toEqual([{ n: 0 }]);
    } finally {
      await core.close();
    }
  }, 120_000);
});
