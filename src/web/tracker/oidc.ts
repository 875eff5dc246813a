import * as client from 'openid-client';
import type { Config } from '../../config.js';
import type { LoginState } from '../../db/session-repo.js';

/** One OpenID Connect issuer people may sign in with (the council's Entra ID, Slack). */
export interface OidcProviderSpec {
  name: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface OidcProvider {
  spec: OidcProviderSpec;
  /** The issuer's authorization URL for a new sign-in, and what to keep until the callback. */
  begin(returnTo: string): Promise<{ url: URL; login: LoginState }>;
  /** Checks the callback (state, PKCE, nonce, ID token) and returns the person's verified email. */
  finish(callbackUrl: URL, login: LoginState): Promise<{ email: string | null }>;
}

/** The providers the configuration names, in the order shown on the sign-in page. */
export function oidcSpecs(config: Config): OidcProviderSpec[] {
  const out: OidcProviderSpec[] = [];
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET) {
    out.push({ name: 'council', label: config.OIDC_LABEL, issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET });
  }
  if (config.SLACK_OIDC_CLIENT_ID && config.SLACK_OIDC_CLIENT_SECRET) {
    out.push({ name: 'slack', label: 'Slack', issuer: config.SLACK_OIDC_ISSUER, clientId: config.SLACK_OIDC_CLIENT_ID, clientSecret: config.SLACK_OIDC_CLIENT_SECRET });
  }
  return out;
}

const isLoopbackHttp = (u: URL) => u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/**
 * The authorization code flow with PKCE (S256), state and nonce. The issuer's metadata is
 * discovered on first use (and again after a failure), so wardline starts while the issuer is down.
 */
export function createOidcProvider(spec: OidcProviderSpec, publicUrl: string): OidcProvider {
  const redirectUri = new URL(`/auth/callback/${spec.name}`, publicUrl).href;
  let config: Promise<client.Configuration> | null = null;
  const configuration = () => {
    if (!config) {
      const issuer = new URL(spec.issuer);
      config = client.discovery(issuer, spec.clientId, spec.clientSecret, undefined, isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : {});
      config.catch(() => { config = null; });
    }
    return config;
  };
  return {
    spec,
    async begin(returnTo) {
      const cfg = await configuration();
      const login: LoginState = { provider: spec.name, verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce(), returnTo };
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri, scope: 'openid email profile', response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(login.verifier), code_challenge_method: 'S256',
        state: login.state, nonce: login.nonce,
      });
      return { url, login };
    },
    async finish(callbackUrl, login) {
      const cfg = await configuration();
      const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
        pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true,
      });
      let claims: Record<string, unknown> = tokens.claims() ?? {};
      // Issuers that keep the email out of the ID token give it at the userinfo endpoint.
      if (typeof claims.email !== 'string' && typeof claims.sub === 'string' && cfg.serverMetadata().userinfo_endpoint) {
        claims = { ...claims, ...(await client.fetchUserInfo(cfg, tokens.access_token, claims.sub)) };
      }
      const email = [claims.email, claims.preferred_username, claims.upn].find((v): v is string => typeof v === 'string' && v.includes('@'));
      if (claims.email_verified === false) return { email: null };
      return { email: email?.toLowerCase() ?? null };
    },
  };
}
