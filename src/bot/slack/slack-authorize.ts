import type { WebClient } from '@slack/web-api';

/** What Bolt needs to know about the bot for every event: its token and who it is. */
export interface SlackBotIdentity {
  botToken: string;
  botId: string | undefined;
  botUserId: string | undefined;
}

/**
 * Bolt's authorize for one workspace, asking Slack who the bot is (`auth.test`) once rather than
 * on every event, as Bolt does itself when token verification is off. A failed lookup is not kept:
 * the next event asks again.
 */
export function cachedAuthorize(client: WebClient, botToken: string): () => Promise<SlackBotIdentity> {
  let known: Promise<SlackBotIdentity> | null = null;
  return () => {
    if (!known) {
      const asked = client.auth.test({ token: botToken }).then((r) => ({ botToken, botId: r.bot_id, botUserId: r.user_id }));
      known = asked;
      asked.catch(() => { if (known === asked) known = null; });
    }
    return known;
  };
}
