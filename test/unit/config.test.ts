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

  it('refuses working hours that end before they start', () => {
    expect(() => loadConfig({ WORKING_HOURS: '17-9' })).toThrow(/WORKING_HOURS/);
  });
});
