import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';

/** A free loopback port (to know a URL before the server behind it starts). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/**
 * A real OpenID Connect provider (oidc-provider) on loopback with its development login form:
 * whatever is typed as the login becomes the account, and its email claim.
 */
export async function startOidcIssuer(opts: { clientId: string; clientSecret: string; redirectUri: string }): Promise<{ issuer: string; close(): Promise<void> }> {
  const { default: Provider } = await import('oidc-provider');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: opts.clientId, client_secret: opts.clientSecret, redirect_uris: [opts.redirectUri],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, email: id, email_verified: true, name: id }) }),
    features: { devInteractions: { enabled: true } },
  } as never);
  const server: Server = createServer(provider.callback());
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', () => ok()));
  return { issuer, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}
