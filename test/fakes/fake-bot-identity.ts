import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/**
 * Bot Framework's token issuer on loopback: OpenID metadata and a JWKS with one RSA key endorsed
 * for `msteams`, and tokens signed with it as the Bot Connector signs its requests to a bot.
 */
export class FakeBotIdentity {
  private server: Server | null = null;
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly kid = 'wardline-test-key';
  url = '';

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<void> {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/v1/.well-known/openidconfiguration')) {
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url?.startsWith('/v1/.well-known/keys')) {
        res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((ok) => this.server!.listen({ port: 0, host: '127.0.0.1' }, () => ok()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  /** A channel token for `audience` (the bot's app id), bound to the activity's service URL. */
  token(o: { audience: string; serviceUrl: string; issuer?: string; expiresIn?: number; key?: KeyObject; kid?: string }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: o.kid ?? this.kid, x5t: o.kid ?? this.kid }));
    const payload = b64url(JSON.stringify({
      iss: o.issuer ?? 'https://api.botframework.com', aud: o.audience, serviceurl: o.serviceUrl, nbf: now - 60, iat: now - 60, exp: now + (o.expiresIn ?? 3600),
    }));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(o.key ?? this.key.privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
