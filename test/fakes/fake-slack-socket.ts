import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/**
 * Slack's Socket Mode end on loopback: greets a client with `hello`, sends it envelopes and
 * records the acknowledgements it sends back.
 */
export class FakeSlackSocket {
  private server: WebSocket.Server | null = null;
  private client: WebSocket | null = null;
  readonly acks = new Map<string, unknown>();
  private connected: (() => void)[] = [];
  url = '';

  async start(): Promise<string> {
    this.server = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((ok) => this.server!.once('listening', () => ok()));
    this.server.on('connection', (ws) => {
      this.client = ws;
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.set(msg.envelope_id, msg.payload ?? null);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0WARDLINE' } }));
      for (const c of this.connected.splice(0)) c();
    });
    const addr = this.server.address();
    this.url = `ws://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/link/?ticket=fake`;
    return this.url;
  }

  /** Resolves once a client has connected. */
  waitForClient(): Promise<void> {
    return this.client ? Promise.resolve() : new Promise((ok) => this.connected.push(ok));
  }

  /** Sends an Events API payload in an envelope; resolves with the envelope id once acked. */
  async sendEvent(payload: Record<string, unknown>, timeoutMs = 5000): Promise<string> {
    const id = randomUUID();
    this.client!.send(JSON.stringify({ envelope_id: id, payload, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' }));
    const deadline = Date.now() + timeoutMs;
    while (!this.acks.has(id)) {
      if (Date.now() > deadline) throw new Error(`envelope ${id} was not acknowledged`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return id;
  }

  async stop(): Promise<void> {
    for (const c of this.server?.clients ?? []) c.terminate();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
