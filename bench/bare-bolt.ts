/**
 * The baseline for bench/slack-intake: a bare Bolt app on Bolt's own HTTP receiver that verifies,
 * acks and does nothing else. Prints "ready <port>" when listening.
 */
import { App, LogLevel } from '@slack/bolt';

const secret = process.env.SLACK_SIGNING_SECRET ?? '';
const port = Number(process.env.PORT ?? 0);
let seen = 0;
const app = new App({
  signingSecret: secret, logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? 'http://127.0.0.1:9/api/' },
  authorize: async () => ({ botToken: 'xoxb-bench', botUserId: 'UBOT', botId: 'BBOT' }),
});
app.event('app_mention', async () => { seen++; });
process.on('SIGUSR2', () => console.log(`seen ${seen}`));
await app.start({ port, host: '127.0.0.1' });
console.log(`ready ${port}`);
