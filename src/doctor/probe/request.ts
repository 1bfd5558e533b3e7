import { VARIANT_NAMES, type VariantName } from '../../pki/catalogue.js';
import { fixOf } from '../../pki/catalogue.js';
import { finding } from '../report.js';
import type { Finding } from '../types.js';
import type { ProbeOutcome } from './connect.js';

type Answered = Extract<ProbeOutcome, { stage: 'answered' }>;

export interface RequestContext {
  readonly path: string;
  readonly appTokenGiven: boolean;
}

/** Lean's error envelope: `{"timestamp","status","message","metadata"}`. */
interface LeanError {
  status: string;
  message: string;
  metadata?: { reason?: unknown } | null;
}

/** `banks_request`: what the server answered to `GET <path>` on an accepted connection, explained. */
export function explainRequest(answer: Answered | undefined, context: RequestContext): Finding {
  const request = `GET ${context.path}`;
  if (!answer) return finding('banks_request', 'skip', `not sent: no TLS connection got as far as a request (see handshake_tls1_2 and handshake_tls1_3)`);
  const json = parseJson(answer.body);
  const status = answer.status;
  if (status >= 200 && status < 300) {
    const what = Array.isArray(json) ? `${json.length} ${context.path.startsWith('/banks') ? 'banks' : 'items'}` : describeBody(answer);
    return finding('banks_request', 'pass', `${request} answered ${status} with ${what}`);
  }
  const lean = leanError(json);
  if (!lean) {
    if (status >= 300 && status < 400) return finding('banks_request', 'warn', `${request} answered ${status}, a redirect`, { fix: 'Point --url at the final address.' });
    return finding('banks_request', 'fail', `${request} answered ${status} (${describeBody(answer)})`, {
      fix: status === 404 ? 'Check --url and --path: is this the Lean API?' : 'See what the server logs for this request.',
    });
  }
  const said = `${request} answered ${status} ${lean.status} "${lean.message}"`;
  switch (lean.status) {
    case 'INVALID_CERTIFICATE': {
      const reason = typeof lean.metadata?.reason === 'string' ? lean.metadata.reason : null;
      const variant = VARIANT_NAMES.find((name) => name === reason) as VariantName | undefined;
      return finding('banks_request', 'fail', `the server completed the handshake, then refused our certificate over HTTP: ${said}${reason ? ` (reason: ${reason})` : ''}`, {
        fix: variant ? fixOf(variant) : 'Present the application certificate Lean issued for this environment.',
        variant,
      });
    }
    case 'UNAUTHORIZED':
      return context.appTokenGiven
        ? finding('banks_request', 'fail', `the app token was refused: ${said}`, { fix: "Pass the application's app token for this environment with --app-token (lean-mock: app_token in manifest.json)." })
        : finding('banks_request', 'warn', `our certificate was accepted, but the request carries no credentials: ${said}`, {
            fix: 'Pass the app token with --app-token to check it too (lean-mock: app_token in manifest.json).',
          });
    case 'CERTIFICATE_TOKEN_MISMATCH':
      return finding('banks_request', 'fail', `the certificate is valid but belongs to another application than the app token: ${said}`, {
        fix: 'Use the app token of the application this certificate was issued to, or that application\'s certificate.',
      });
    default:
      return finding('banks_request', 'fail', said, { fix: 'See Lean\'s documentation of this error status.' });
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function leanError(json: unknown): LeanError | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const candidate = json as Record<string, unknown>;
  if (typeof candidate.status !== 'string' || typeof candidate.message !== 'string') return null;
  return candidate as unknown as LeanError;
}

function describeBody(answer: Answered): string {
  const type = answer.contentType.split(';')[0] || 'no content type';
  return `${Buffer.byteLength(answer.body)} bytes of ${type}`;
}
