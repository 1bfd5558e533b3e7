/**
 * The user's real Lean credentials, from the environment only: flags show in `ps` and shell
 * history. Either an app token (sent as `lean-app-token`) or an OAuth client (tokens fetched and
 * refreshed from the token endpoint, sent as a bearer token), never both: Lean refuses a request
 * that carries both headers.
 */
export type UpstreamCredentials =
  | { readonly kind: 'app_token'; readonly appToken: string }
  | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: string };

export const CREDENTIAL_VARIABLES = {
  appToken: 'LEAN_APP_TOKEN',
  clientId: 'LEAN_CLIENT_ID',
  clientSecret: 'LEAN_CLIENT_SECRET',
} as const;

/** A mistake in what the environment holds; the CLI answers it with exit code 2. */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

const SENDABLE = /^[\x21-\x7e]{1,4096}$/;

export function credentialsFromEnv(env: NodeJS.ProcessEnv): UpstreamCredentials {
  const appToken = env[CREDENTIAL_VARIABLES.appToken] || undefined;
  const clientId = env[CREDENTIAL_VARIABLES.clientId] || undefined;
  const clientSecret = env[CREDENTIAL_VARIABLES.clientSecret] || undefined;
  const { appToken: T, clientId: I, clientSecret: S } = CREDENTIAL_VARIABLES;
  if (appToken && (clientId || clientSecret)) {
    throw new CredentialsError(`set either ${T} or ${I} + ${S}, not both (Lean refuses a request carrying both a token and a bearer)`);
  }
  if (appToken) {
    if (!SENDABLE.test(appToken)) throw new CredentialsError(`${T} must be printable ASCII without spaces`);
    return { kind: 'app_token', appToken };
  }
  if (clientId && clientSecret) return { kind: 'oauth', clientId, clientSecret };
  if (clientId || clientSecret) throw new CredentialsError(`${clientId ? S : I} is missing: OAuth needs both ${I} and ${S}`);
  throw new CredentialsError(`no upstream credentials: set ${T}, or ${I} and ${S}, in the environment`);
}

/** Every secret value the credentials hold, for redaction. */
export function secretsOf(credentials: UpstreamCredentials): string[] {
  return credentials.kind === 'app_token' ? [credentials.appToken] : [credentials.clientId, credentials.clientSecret];
}
