/**
 * The Bot Connector REST API, as much as wardline uses: post, reply, update, open a personal chat
 * and read a member. Calls are not retried here; the outbox retries with its own limits.
 */
export class ConnectorError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export interface TeamsActivity {
  type: string;
  text?: string;
  textFormat?: 'plain' | 'markdown' | 'xml';
  attachments?: { contentType: string; content: unknown }[];
  replyToId?: string;
  [key: string]: unknown;
}

export class TeamsConnector {
  constructor(private readonly o: { token: (serviceUrl: string) => Promise<string | null>; botId: string; timeoutMs?: number }) {}

  private async call(method: string, serviceUrl: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const token = await this.o.token(serviceUrl);
    const url = `${serviceUrl.replace(/\/+$/, '')}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method, signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw new ConnectorError(0, `Teams could not be reached: ${(e as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) {
      const retry = Number(res.headers.get('retry-after'));
      let detail = text.slice(0, 300);
      try { detail = (JSON.parse(text) as { error?: { message?: string; code?: string } }).error?.code ?? detail; } catch { /* keep the text */ }
      throw new ConnectorError(res.status, `Teams answered ${res.status}${detail ? ` (${detail})` : ''}`, Number.isFinite(retry) && retry > 0 ? retry * 1000 : undefined);
    }
    return text ? JSON.parse(text) as Record<string, unknown> : {};
  }

  /** Posts into a conversation, or as a reply to an activity (a channel's reply chain). */
  async send(serviceUrl: string, conversationId: string, activity: TeamsActivity, replyToId?: string | null): Promise<string> {
    const path = `/v3/conversations/${encodeURIComponent(conversationId)}/activities${replyToId ? `/${encodeURIComponent(replyToId)}` : ''}`;
    const r = await this.call('POST', serviceUrl, path, { ...activity, from: { id: this.o.botId }, ...(replyToId ? { replyToId } : {}) });
    return String(r.id ?? '');
  }

  async update(serviceUrl: string, conversationId: string, activityId: string, activity: TeamsActivity): Promise<void> {
    await this.call('PUT', serviceUrl, `/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`, { ...activity, id: activityId, from: { id: this.o.botId } });
  }

  /** Opens (or finds) the personal chat with a user; Teams refuses when the app is not installed for them. */
  async openPersonalChat(serviceUrl: string, userId: string, tenantId: string | null): Promise<string> {
    const r = await this.call('POST', serviceUrl, '/v3/conversations', {
      bot: { id: this.o.botId }, members: [{ id: userId }], isGroup: false, ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
    });
    return String(r.id ?? '');
  }

  async member(serviceUrl: string, conversationId: string, userId: string): Promise<{ email?: string; userPrincipalName?: string; aadObjectId?: string; name?: string } | null> {
    try {
      return await this.call('GET', serviceUrl, `/v3/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(userId)}`) as never;
    } catch {
      return null;
    }
  }
}
