import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessage } from '../../src/db/workspace-repo.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

describe('WARDLINE_STRANGERS=accept', () => {
  let app: TestApp;
  beforeAll(async () => { app = await startTestApp({ env: { WARDLINE_STRANGERS: 'accept' } }); }, 120_000);
  afterAll(async () => { await app?.stop(); });

  it('adds a stranger as a guest, opens their case and tells the admins; a second message knows them', async () => {
    const { db } = app.running.core.dbh;
    const say = async (text: string) => {
      const messageId = await insertMessage(db, { channelId: 'general', threadId: null, authorId: null, text }, new Date());
      await app.running.chat.flows.handle({
        kind: 'message', eventId: `guest-${messageId}`, address: { platform: 'local', channelId: 'general', threadId: null }, messageId,
        channelName: 'councillors-general', isDirect: false, mentionsBot: true, listening: true, userExternalId: 'resident.rep@example.org', text, attachments: [],
      });
      await app.settle();
    };
    await say('Fly-tipping on Slade Road, Erdington, mattresses');
    const ctx = await app.running.core.loadContext();
    const guest = ctx.directory.byEmail.get('resident.rep@example.org')!;
    expect([guest.name, guest.roles, guest.active]).toEqual(['Guest (local user resident.rep@example.org)', [], true]);
    const opened = await db.query.cases.findMany({ where: (c, { eq }) => eq(c.raisedById, guest.id) });
    expect(opened.map((c) => [c.wardId, c.serviceId])).toEqual([['erdington', 'waste-enforcement']]);

    await say('And a pothole on Kingsbury Road, Erdington');
    expect((await app.running.core.loadContext()).directory.people.filter((p) => p.email === 'resident.rep@example.org')).toHaveLength(1);
    expect(await db.query.cases.findMany({ where: (c, { eq }) => eq(c.raisedById, guest.id) })).toHaveLength(2);
    const notices = await db.query.outbox.findMany({ where: (o, { like }) => like(o.idempotencyKey, 'guest:%') });
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(notices[0]!.payload)).toMatch(/added as a guest, because WARDLINE_STRANGERS is accept/);
  });
});
