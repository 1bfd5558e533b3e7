import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Command } from 'commander';
import { CredentialsError, credentialsFromEnv, type UpstreamCredentials } from '../upstream/credentials.js';
import type { UpstreamIdentity } from '../upstream/client.js';
import { UsageError, type CliIo } from './io.js';

/** The flags `record` and `drift` share: where the upstream is and who the user is there. */
export interface UpstreamFlags {
  upstream: string;
  upstreamCert: string;
  upstreamKey: string;
  upstreamCa?: string;
  upstreamTokenUrl?: string;
}

export const CREDENTIALS_HELP = `
Upstream credentials come from the environment only (flags show in \`ps\` and shell history):
  LEAN_APP_TOKEN                        sent as lean-app-token, or
  LEAN_CLIENT_ID + LEAN_CLIENT_SECRET   OAuth client credentials: a token is fetched (scope api),
                                        cached and fetched again shortly before it expires`;

export function addUpstreamOptions(command: Command): Command {
  return command
    .requiredOption('--upstream <url>', 'https:// URL of Lean (e.g. https://mtls.sandbox.leantech.me) or another lean-mock')
    .requiredOption('--upstream-cert <file>', 'your client certificate for the upstream (PEM; leaf, or leaf + chain)')
    .requiredOption('--upstream-key <file>', 'its private key (PEM, unencrypted)')
    .option('--upstream-ca <file>', "CA certificates to trust for the upstream's server (e.g. lean_public_cert_chain.pem; default: public roots)")
    .option('--upstream-token-url <url>', 'OAuth token endpoint (default: auth.sandbox.leantech.me for Lean hosts, else the upstream\'s /oauth2/token)');
}

export interface Upstream {
  url: string;
  identity: UpstreamIdentity;
  names: { cert: string; key: string; ca?: string };
  credentials: UpstreamCredentials;
  tokenUrl?: string;
}

/** Reads and checks everything up front, so a mistake is one usage error before anything listens. */
export async function readUpstream(flags: UpstreamFlags, io: CliIo, env: NodeJS.ProcessEnv): Promise<Upstream> {
  let url: URL;
  try {
    url = new URL(flags.upstream);
  } catch {
    throw new UsageError(`--upstream "${flags.upstream}" is not a URL (e.g. https://mtls.sandbox.leantech.me)`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`--upstream must be an https:// URL, not "${flags.upstream}"`);
  if (flags.upstreamTokenUrl !== undefined && !/^https:\/\/\S+$/.test(flags.upstreamTokenUrl)) {
    throw new UsageError(`--upstream-token-url must be an https:// URL, not "${flags.upstreamTokenUrl}"`);
  }
  const read = async (flag: string, path: string): Promise<string> =>
    readFile(resolve(io.cwd, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${flag} ${path}: ${error.code ?? error.message}`);
    });
  const identity: UpstreamIdentity = {
    cert: await read('--upstream-cert', flags.upstreamCert),
    key: await read('--upstream-key', flags.upstreamKey),
    ...(flags.upstreamCa !== undefined ? { ca: await read('--upstream-ca', flags.upstreamCa) } : {}),
  };
  try {
    createSecureContext(identity);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--upstream-cert/--upstream-key/--upstream-ca cannot be used (${why}): see lean-mock doctor --cert ${flags.upstreamCert} --key ${flags.upstreamKey}`);
  }
  let credentials: UpstreamCredentials;
  try {
    credentials = credentialsFromEnv(env);
  } catch (error) {
    throw error instanceof CredentialsError ? new UsageError(error.message) : error;
  }
  return {
    url: flags.upstream,
    identity,
    names: { cert: flags.upstreamCert, key: flags.upstreamKey, ...(flags.upstreamCa ? { ca: flags.upstreamCa } : {}) },
    credentials,
    ...(flags.upstreamTokenUrl ? { tokenUrl: flags.upstreamTokenUrl } : {}),
  };
}
