import type { X509Certificate } from 'node:crypto';
import type { ClientMaterial } from '../load/client.js';
import { finding } from '../report.js';
import type { Finding } from '../types.js';
import { probe, type ProbeOutcome, type ProbeTarget } from './connect.js';
import { explainHandshake, type HandshakeContext } from './explain.js';
import { explainRequest } from './request.js';

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_PATH = '/banks/v1';

export interface ServerProbe {
  readonly url: URL;
  readonly path?: string | undefined;
  readonly appToken?: string | undefined;
  readonly insecure?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
  readonly ca: readonly X509Certificate[] | null;
  readonly material: ClientMaterial;
  /** The offline findings, so a silent refusal can be pointed at its likely cause. */
  readonly offline: readonly Finding[];
}

/** `handshake_tls1_2`, `handshake_tls1_3` and `banks_request`: real connections to the server. */
export async function probeServer(input: ServerProbe): Promise<Finding[]> {
  const { material, url } = input;
  if (material.given && (!material.leaf || !material.key)) {
    const why = 'not attempted: no usable certificate and key (see certificate_format and key_format)';
    return [finding('handshake_tls1_2', 'skip', why), finding('handshake_tls1_3', 'skip', why), finding('banks_request', 'skip', why)];
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || 443;
  const path = input.path ?? (url.pathname !== '/' ? `${url.pathname}${url.search}` : DEFAULT_PATH);
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target: ProbeTarget = {
    host,
    port,
    path,
    headers: input.appToken ? { 'lean-app-token': input.appToken } : {},
    ...(material.leaf && material.key
      ? {
          cert: [material.leaf, ...material.sent].map((certificate) => certificate.toString()).join(''),
          key: material.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
        }
      : {}),
    ...(input.ca ? { ca: input.ca.map((certificate) => certificate.toString()) } : {}),
    insecure: input.insecure ?? false,
    timeoutMs,
  };
  const context: HandshakeContext = {
    host,
    port,
    timeoutMs,
    sentCertificate: target.cert !== undefined,
    caGiven: input.ca !== null,
    appTokenUnverified: target.insecure && target.headers['lean-app-token'] !== undefined,
    offlineFailures: input.offline.filter((entry) => entry.status === 'fail'),
  };

  const first = await probe(target, '1.2');
  const unreachable = first.stage === 'connect' || (first.stage === 'timeout' && first.during === 'connect');
  const second: ProbeOutcome | null = unreachable ? null : await probe(target, '1.3');
  const verdicts = [explainHandshake('1.2', first, context), second ? explainHandshake('1.3', second, context) : null];
  const answers = [second, first].filter((outcome): outcome is Extract<ProbeOutcome, { stage: 'answered' }> => outcome?.stage === 'answered');

  const findings = verdicts.map((verdict) => {
    if (!verdict) return finding('handshake_tls1_3', 'skip', 'not attempted: the server could not be reached (see handshake_tls1_2)');
    // Not offering one version is fine while the other works, and fatal when neither does.
    if (verdict.versionUnsupported && answers.length === 0) return { ...verdict.finding, status: 'fail' as const };
    return verdict.finding;
  });
  findings.push(explainRequest(answers[0], { path, appTokenGiven: input.appToken !== undefined }));
  return findings;
}
