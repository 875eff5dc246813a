import { createInterface } from 'node:readline';
import type { Catalogue } from '../catalogue/catalogue.js';
import { parseMessage } from './parse-message.js';
import type { StreetGazetteer } from './street-gazetteer.js';

/**
 * `wardline parse`: JSON Lines in ({id, platform, channel, sender: {name, role, wards[]}, text}),
 * one JSON line out per input, in order. A line that is not JSON gives {"id": null, "error"} and
 * parsing goes on. Blank lines are skipped.
 */
export async function runParseJsonl(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, catalogue: Catalogue, streets?: StreetGazetteer): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    output.write(`${JSON.stringify(parseLine(line, lineNo, catalogue, streets))}\n`);
  }
}

export function parseLine(line: string, lineNo: number, catalogue: Catalogue, streets?: StreetGazetteer): Record<string, unknown> {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    return { id: null, error: `line ${lineNo}: not valid JSON (${(e as Error).message})` };
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return { id: null, error: `line ${lineNo}: expected a JSON object` };
  const m = msg as { id?: unknown; channel?: unknown; sender?: { role?: unknown; wards?: unknown }; text?: unknown; platform?: unknown };
  const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
  const wards = Array.isArray(m.sender?.wards) ? m.sender.wards.filter((w): w is string => typeof w === 'string') : [];
  const r = parseMessage({ text: m.text, platform: typeof m.platform === 'string' ? m.platform : null }, {
    sender: { role: typeof m.sender?.role === 'string' ? m.sender.role : null, wards },
    channelName: typeof m.channel === 'string' ? m.channel : '',
    catalogue,
    streets,
  });
  return {
    id, kind: r.kind,
    cases: r.cases.map((c) => ({ ward: c.ward, service: c.service, urgent: c.urgent, location: c.location })),
    missing: r.missing,
  };
}
