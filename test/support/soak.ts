import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './cli.js';

/**
 * README's run command (`npm start`, i.e. scripts/run.sh: PGlite in the data dir and a managed
 * redis-server) driven through the workspace's JSON API by a councillor and the RM, for the soak
 * test (test/e2e/soak.e2e.test.ts) and `npm run bench:soak`.
 */

/** Settings that make SLA reminders fire within a minute of a case being opened. */
export const SOAK_ENV = { WORKING_HOURS: '0-24', REMINDER_LEAD_HOURS: '72', REMINDER_URGENT_LEAD_HOURS: '24', LOG_LEVEL: 'warn' };

export interface RunCommand {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** What it printed, and how it ended if it has. */
  output(): string;
}

export function startRunCommand(o: { dir: string; port: number; env?: Record<string, string> }): RunCommand {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, WARDLINE_DATA_DIR: o.dir, PORT: String(o.port), ...SOAK_ENV, ...o.env };
  const child = spawn('bash', ['scripts/run.sh'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((ok) => {
    child.once('exit', (code, signal) => ok({ code, signal, at: Date.now() }));
  });
  const output = () => `${out}${child.exitCode !== null || child.signalCode ? `\n[exited: code ${child.exitCode}, signal ${child.signalCode}]` : ''}`;
  return { child, base: `http://127.0.0.1:${o.port}`, exited, output };
}

/** Waits for /readyz to answer 200; false when the deadline passes or the process exits first. */
export async function waitReady(run: RunCommand, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  let gone = false;
  void run.exited.then(() => { gone = true; });
  while (Date.now() < deadline && !gone) {
    if (await fetch(`${run.base}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false)) return true;
    await sleep(300);
  }
  return false;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SoakStats {
  flows: number;
  requests: number;
  latenciesMs: number[];
  /** Requests over the stall bound, readyz not 200, replies that never arrived. */
  stalls: string[];
  /** Wrong answers (a step that did not do what the README says). */
  failures: string[];
  reminders: number;
  references: string[];
}

interface Msg {
  id: string;
  author: { id: string; name: string } | null;
  text: string;
  model: { buttons?: { label: string; actionId: string; value: string }[]; case?: unknown; cases?: unknown[] } | null;
}

const STREETS = ['Slade', 'Reservoir', 'Gravelly', 'Holly', 'Sutton', 'Wood End', 'Short Heath', 'Turfpits', 'Edwards', 'Orphanage',
  'Marsh', 'Kingsbury', 'Station', 'Church', 'Summer', 'Mill', 'Park', 'Grange'].flatMap((n) => [`${n} Road`, `${n} Lane`]);

/** The workspace's JSON API with every request timed and bounded. */
export class WorkspaceClient {
  readonly stats: SoakStats = { flows: 0, requests: 0, latenciesMs: [], stalls: [], failures: [], reminders: 0, references: [] };
  constructor(public base: string, private stallMs = 5000, private timeoutMs = 30_000) {}

  async call<T>(path: string, body?: unknown): Promise<T> {
    const started = performance.now();
    const init: RequestInit = { signal: AbortSignal.timeout(this.timeoutMs) };
    if (body !== undefined) Object.assign(init, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      const res = await fetch(`${this.base}/api/workspace${path}`, init);
      const data = await res.json() as T & { error?: string; message?: string };
      if (!res.ok) throw new Error(`${res.status} ${data.error}: ${data.message}`);
      return data;
    } finally {
      const ms = performance.now() - started;
      this.stats.requests++;
      this.stats.latenciesMs.push(ms);
      if (ms > this.stallMs) this.stats.stalls.push(`${path.split('?')[0]} took ${Math.round(ms)} ms`);
    }
  }

  async ready(): Promise<void> {
    const status = await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(this.timeoutMs) }).then((r) => r.status, () => 0);
    if (status !== 200) this.stats.stalls.push(`readyz answered ${status || 'nothing'}`);
  }
}

/** The two personas: Cllr Amina Hussain and Dev Patel (Erdington's waste-enforcement RM) from `seed --demo`. */
export async function personas(api: WorkspaceClient): Promise<{ cllr: string; rm: string }> {
  const { people } = await api.call<{ people: { id: string; name: string }[] }>('/people');
  const find = (name: string) => people.find((p) => p.name === name)?.id ?? (() => { throw new Error(`no demo person ${name}`); })();
  return { cllr: find('Cllr Amina Hussain'), rm: find('Dev Patel') };
}

/** One pass of the whole flow; `slow` cases are left for a sweep to remind about and resolved later. */
export class SoakFlow {
  private slow: { reference: string; street: string; since: number }[] = [];
  constructor(private api: WorkspaceClient, private who: { cllr: string; rm: string }, private waitMs = 30_000) {}

  private dm = (as: string) => `dm-${as}`;
  private messages = (as: string, thread?: string) =>
    this.api.call<{ messages: Msg[] }>(`/channels/${this.dm(as)}/messages?as=${as}${thread ? `&thread=${thread}` : ''}`).then((r) => r.messages);
  private send = (as: string, text: string, threadId?: string) =>
    this.api.call<{ messageId: string }>(`/channels/${this.dm(as)}/messages`, { as, text, threadId: threadId ?? null }).then((r) => r.messageId);
  private press = (as: string, m: Msg, label: string, input?: string) => {
    const b = m.model?.buttons?.find((x) => x.label === label);
    if (!b) throw new Error(`no "${label}" button on "${m.text.slice(0, 80)}"`);
    return this.api.call<{ ephemeral?: string }>('/actions', { as, messageId: m.id, actionId: b.actionId, value: b.value, input: input ?? null });
  };

  /** Polls until `find` returns something: a reply that never comes is a stall. */
  private async until<T>(what: string, find: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        this.api.stats.stalls.push(`no ${what} within ${this.waitMs} ms`);
        throw new Error(`no ${what}`);
      }
      await sleep(150);
    }
  }

  private card = (reference: string) => this.until(`card for ${reference}`, async () =>
    (await this.messages(this.who.rm)).filter((m) => m.author === null && m.text.includes(reference) && m.model?.buttons?.length).at(-1));

  private inThread = (as: string, root: string, text: string) => this.until(`"${text}" in thread`, async () =>
    (await this.messages(as, root)).find((m) => m.text.includes(text)));

  private async raise(text: string): Promise<{ root: string; reference: string }> {
    const root = await this.send(this.who.cllr, text);
    const confirmation = await this.until(`confirmation of "${text}"`, async () =>
      (await this.messages(this.who.cllr, root)).slice(1).find((m) => /WL-\d{6}/.test(m.text) && (m.model?.case || m.model?.cases)));
    return { root, reference: /WL-\d{6}/.exec(confirmation.text)![0] };
  }

  private async ask(text: string, expect: RegExp): Promise<void> {
    await this.send(this.who.cllr, text);
    await this.until(`answer to "${text}"`, async () => (await this.messages(this.who.cllr)).slice(-3).find((m) => m.author === null && expect.test(m.text)));
  }

  private check(ok: boolean, what: string): void {
    if (!ok) this.api.stats.failures.push(what);
  }

  async run(i: number): Promise<void> {
    const { cllr, rm } = this.who;
    const street = STREETS[i % STREETS.length]!;
    // A case left open on this street from the last time round would make this one a duplicate.
    await this.settleSlow((s) => s.street === street);
    const { root, reference } = await this.raise(`Urgent: fly-tipping blocking the pavement on ${street}, Erdington (round ${i})`);
    this.api.stats.references.push(reference);
    // The same problem again: "Same as WL-…?", linked or taken as new (left for the SLA sweep).
    const again = await this.send(cllr, `More fly-tipping on ${street}, Erdington, urgent please`);
    const prompt = await this.until('duplicate prompt', async () => (await this.messages(cllr, again)).slice(1).find((m) => m.text.includes(`Same as ${reference}`)));
    if (i % 2 === 0) {
      await this.press(cllr, prompt, `Link to ${reference}`);
      await this.inThread(cllr, again, `Linked: you will hear about ${reference}`);
    } else {
      await this.press(cllr, prompt, "It's new");
      const logged = await this.inThread(cllr, again, 'Logged as a new case');
      const second = /WL-\d{6}/.exec(logged.text)![0];
      this.api.stats.references.push(second);
      this.slow.push({ reference: second, street, since: Date.now() });
    }
    const ack = await this.press(rm, await this.card(reference), 'Acknowledge');
    this.check(ack.ephemeral === `You acknowledged ${reference}.`, `acknowledge ${reference}: ${ack.ephemeral}`);
    const card = await this.card(reference);
    await this.send(rm, `Crew booked, round ${i}.`, card.id);
    await this.inThread(cllr, root, `Dev Patel, Waste enforcement RM: Crew booked, round ${i}.`);
    await this.send(cllr, `Thank you, round ${i}.`, root);
    await this.inThread(rm, card.id, `Cllr Amina Hussain: Thank you, round ${i}.`);
    await this.press(rm, await this.card(reference), 'Need info', `Which side of the road, round ${i}?`);
    await this.inThread(cllr, root, `Which side of the road, round ${i}?`);
    await this.send(cllr, `The north side, round ${i}.`, root);
    await this.inThread(rm, card.id, `The north side, round ${i}.`);
    await this.ask('my cases', new RegExp(reference));
    await this.ask(`case ${reference}`, /Timeline:/);
    await this.ask('who covers fly-tipping in Erdington', /^Waste enforcement in Erdington: Dev Patel/);
    await this.press(rm, await this.card(reference), 'Resolve', `Cleared, round ${i}.`);
    await this.inThread(cllr, root, `Cleared, round ${i}.`);
    await this.settleSlow((s) => Date.now() - s.since > 75_000);
    this.api.stats.flows++;
  }

  /** Resolves the cases left for the sweep (once a sweep has had time to remind; all at the end). */
  async settleSlow(which: (s: { street: string; since: number }) => boolean = () => true): Promise<void> {
    const due = this.slow.filter(which);
    for (const s of due) {
      const card = await this.card(s.reference);
      const thread = await this.messages(this.who.rm, card.id);
      if (thread.some((m) => m.text.startsWith(`Reminder: ${s.reference}`))) this.api.stats.reminders++;
      await this.press(this.who.rm, card, 'Resolve', 'Cleared with the other one.');
      this.slow = this.slow.filter((x) => x !== s);
    }
  }
}

/** Loops the flow until `until()` says stop; a failed pass is recorded and the loop carries on. */
export async function soakLoop(flow: SoakFlow, api: WorkspaceClient, o: { until: () => boolean; first?: number }): Promise<void> {
  let i = o.first ?? 0;
  while (!o.until()) {
    try {
      await api.ready();
      await flow.run(i);
    } catch (e) {
      api.stats.failures.push(`round ${i}: ${(e as Error).message}`);
    }
    i++;
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
