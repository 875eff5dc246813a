import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';

/** Reads a stored (uncompressed) zip through its central directory, as unzip does. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    files.set(name, buf.subarray(start, start + size));
    at += 46 + nameLength;
  }
  return files;
}

describe('wardline teams package', () => {
  it('builds manifest.json (schema 1.17) and both icons, with channel reading only when asked', async () => {
    const out = join(tmpdir(), `wardline-teams-${process.pid}.zip`);
    const r = await runCli(['teams', 'package', '--app-id', APP_ID, '--host', 'wardline.example.gov.uk', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const files = unzip(readFileSync(out));
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const m = JSON.parse(files.get('manifest.json')!.toString()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect([m.manifestVersion, m.id, m.bots[0].botId]).toEqual(['1.17', APP_ID, APP_ID]);
    expect(m.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(m.composeExtensions[0].commands[0]).toMatchObject({ id: 'escalate', type: 'action', context: ['message'], fetchTask: true });
    expect(m.authorization).toBeUndefined();
    for (const [name, size] of [['color.png', 192], ['outline.png', 32]] as const) {
      const png = files.get(name)!;
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    const rsc = await runCli(['teams', 'package', '--app-id', APP_ID, '--host', 'wardline.example.gov.uk', '--rsc', '--out', out]);
    expect(rsc.stdout).toMatch(/asks to read channel messages/);
    const withRsc = JSON.parse(unzip(readFileSync(out)).get('manifest.json')!.toString()) as { authorization: unknown };
    expect(withRsc.authorization).toEqual({ permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } });
  });

  it('says what is missing', async () => {
    const r = await runCli(['teams', 'package', '--host', 'wardline.example.gov.uk'], { env: { MICROSOFT_APP_ID: undefined } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Give the bot's Microsoft app id \(a GUID\) with --app-id or MICROSOFT_APP_ID/);
  });
});
