import { request } from 'node:https';
import type { OutgoingHttpHeaders } from 'node:http';
import type { VariantName } from '../../src/pki/catalogue.js';
import { certificateAndChain, type LeanPki } from '../../src/pki/lean-pki.js';
import { joinPem } from '../../src/pki/pem.js';

/** What a client presents: a certificate and its key, or nothing. */
export interface Presented {
  cert?: string;
  key?: string;
}

/**
 * The credential a named client presents: an app (`my_app`, `other_app`), a catalogue variant, or
 * a variant sent with its chain (`incomplete_chain+chain`).
 */
export function presented(pki: LeanPki, who: string): Presented {
  const app = pki.apps.find((candidate) => candidate.name === who);
  if (app) return { cert: app.credential.certificatePem, key: app.credential.privateKeyPem };
  if (who === 'my_app+chain') {
    const main = pki.apps[0]!;
    return { cert: certificateAndChain(pki, main.credential), key: main.credential.privateKeyPem };
  }
  const [name, withChain] = who.split('+') as [VariantName, string | undefined];
  const variant = pki.variants.find((candidate) => candidate.name === name);
  if (!variant) throw new Error(`no client called ${who}`);
  if (!variant.credential) return {};
  const cert = withChain ? joinPem([variant.credential.certificatePem, ...(variant.chainPems ?? [])]) : variant.credential.certificatePem;
  return { cert, key: variant.credential.privateKeyPem };
}

export type Reply =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; body: string; json: unknown }
  | { ok: false; code: string; message: string };

export interface CallOptions {
  method?: string;
  path?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
  tls?: '1.2' | '1.3';
  /** Trust bundle; default the PKI's chain. */
  ca?: string;
  /** The name the client asks for (SNI) and checks the server certificate against; default localhost. */
  servername?: string;
}

/** One HTTPS request on a fresh connection (no agent), resolving with the reply or the client-side error. */
export function call(url: string, pki: LeanPki, identity: Presented, options: CallOptions = {}): Promise<Reply> {
  const target = new URL(options.path ?? '/banks/v1', url);
  const version = options.tls ? (`TLSv${options.tls}` as const) : undefined;
  return new Promise((resolve) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        ca: options.ca ?? pki.chainPem,
        cert: identity.cert,
        key: identity.key,
        servername: options.servername ?? 'localhost',
        minVersion: version,
        maxVersion: version,
        agent: false,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }));
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    req.end(options.body);
  });
}

/** The app token header of the named app. */
export function appTokenOf(pki: LeanPki, app = 'my_app'): { 'lean-app-token': string } {
  const found = pki.apps.find((candidate) => candidate.name === app);
  if (!found) throw new Error(`no app ${app}`);
  return { 'lean-app-token': found.appToken };
}
