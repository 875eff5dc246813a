import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', WARDLINE_DATA_DIR: './.wardline', TZ_COUNCIL: 'Europe/London', workingHours: { start: 9, end: 17 } });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every problem at once, naming what to set', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TZ_COUNCIL: 'Mars/Olympus', LOG_LEVEL: 'loud' });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of ['PORT', 'DATABASE_URL', 'TZ_COUNCIL', 'LOG_LEVEL']) expect(message).toContain(`  ${name}:`);
  });

  it('never shows a secret in its messages: tokens by their kind, passwords in URLs as ***', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-1111-2222-hunter2', SLACK_APP_TOKEN: 'xoxb-3333-hunter2', SLACK_SIGNING_SECRET: 'hunt2',
      DATABASE_URL: 'mysql://wardline:pa@ss-hunter2@db.example/wardline?sslpassword=hunter2&ssl=1', REDIS_URL: 'http://:hunter2@cache:6379',
    };
    let message = '';
    try {
      loadConfig(env);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toMatch(/hunt|pa@ss|1111|3333/);
    expect(message).toContain('SLACK_BOT_TOKEN: must be a bot token (xoxb-…) (got "xoxp-…" (hidden))');
    expect(message).toContain('SLACK_APP_TOKEN: must be an app-level token (xapp-…) (got "xoxb-…" (hidden))');
    expect(message).toContain('SLACK_SIGNING_SECRET: Too small: expected string to have >=8 characters (got a hidden value of 5 characters)');
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL (got "mysql://wardline:***@db.example/wardline?sslpassword=***&ssl=1")');
    expect(message).toContain('REDIS_URL: must be a redis:// URL (got "http://:***@cache:6379")');
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'app' })).toThrow(/MICROSOFT_APP_PASSWORD: set the client secret .* \(got nothing\)/);
  });

  it('refuses working hours that end before they start', () => {
    expect(() => loadConfig({ WORKING_HOURS: '17-9' })).toThrow(/WORKING_HOURS/);
  });
});
