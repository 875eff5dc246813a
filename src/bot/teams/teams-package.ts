import { crc32 } from 'node:zlib';
import { png } from '../../shared/png.js';

/** Options for the Teams app package (manifest schema 1.17). */
export interface TeamsPackageOptions {
  appId: string;
  /** wardline's public host name, for validDomains and the developer links. */
  host: string;
  version: string;
  /** Read every message in channels where the app is installed (RSC ChannelMessage.Read.Group). Off by default. */
  rsc: boolean;
}

export function teamsManifest(o: TeamsPackageOptions): Record<string, unknown> {
  const site = `https://${o.host}`;
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17', version: o.version, id: o.appId,
    developer: { name: 'wardline', websiteUrl: site, privacyUrl: `${site}/privacy`, termsOfUseUrl: `${site}/terms` },
    name: { short: 'wardline', full: 'wardline: councillors\' escalations to the right RM' },
    description: {
      short: 'Escalate a ward problem to the right Relationship Manager.',
      full: 'Write to wardline about a problem in your ward and it opens a case, routes it to the service\'s Relationship Manager for the ward and keeps you answered in your thread. RMs acknowledge, update and resolve from the case card; overdue cases are escalated; each ward gets a weekly digest.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#1D3557',
    bots: [{
      botId: o.appId, scopes: ['personal', 'team', 'groupChat'], supportsFiles: false, isNotificationOnly: false,
      commandLists: [{ scopes: ['personal', 'team', 'groupChat'], commands: [
        { title: 'help', description: 'What wardline can do' },
        { title: 'my cases', description: 'Your open cases' },
        { title: 'who covers', description: 'who covers <service> in <ward>' },
      ] }],
    }],
    composeExtensions: [{
      botId: o.appId,
      commands: [{ id: 'escalate', type: 'action', title: 'Escalate this message', description: 'Turn this message into a case for the right RM', context: ['message'], fetchTask: true }],
    }],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [o.host],
    webApplicationInfo: { id: o.appId, resource: `api://${o.host}/${o.appId}` },
    ...(o.rsc ? { authorization: { permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } } } : {}),
  };
}

/** The mark: three lines of a thread, white; on navy for the colour icon, on transparent for the outline. */
function mark(size: number, background: [number, number, number, number]) {
  return png(size, size, (x, y) => {
    const u = x / size;
    const v = y / size;
    const bar = [0.3, 0.5, 0.7].some((c, i) => Math.abs(v - c) < 0.06 && u > 0.2 && u < 0.8 - i * 0.12);
    return bar ? [255, 255, 255, 255] : background;
  });
}

/** A zip (stored, not compressed) of named files. */
export function zip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(f.data.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, f.data);
    centrals.push(central, name);
    offset += 30 + name.length + f.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The app package to upload to Teams: manifest.json, color.png (192×192) and outline.png (32×32). */
export function teamsPackage(o: TeamsPackageOptions): Buffer {
  return zip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(teamsManifest(o), null, 2)}\n`) },
    { name: 'color.png', data: mark(192, [29, 53, 87, 255]) },
    { name: 'outline.png', data: mark(32, [0, 0, 0, 0]) },
  ]);
}
