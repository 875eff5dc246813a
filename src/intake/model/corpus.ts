import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LabelledMessage } from './training.js';

const line = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  platform: z.string().nullish(),
  channel: z.string().nullish(),
  sender: z.object({ role: z.string().nullish(), wards: z.array(z.string()).default([]) }).default({ wards: [] }),
  text: z.string(),
  expected: z.object({
    kind: z.enum(['escalation', 'chatter', 'clarify']),
    cases: z.array(z.object({ service: z.string(), ward: z.string().optional() })).default([]),
    missing: z.array(z.string()).default([]),
  }),
});

/** A labelled corpus in JSON Lines (LABELS.md); every bad line is reported with its number. */
export function readLabelledCorpus(path: string): LabelledMessage[] {
  const errors: string[] = [];
  const out: LabelledMessage[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      out.push(line.parse(JSON.parse(raw)) as LabelledMessage);
    } catch (e) {
      errors.push(`line ${i + 1}: ${(e as Error).message.split('\n')[0]}`);
    }
  });
  if (errors.length) throw new Error(`${path}: ${errors.slice(0, 10).join('; ')}`);
  return out;
}
