import { diagnose, renderHuman, type DoctorReport, type Finding } from '../doctor/index.js';
import type { UpstreamCredentials } from './credentials.js';
import type { UpstreamFailure } from './failure.js';

/** The upstream identity as `doctor` takes it: PEM text, named by the files the user gave. */
export interface IdentitySources {
  readonly cert: { readonly data: string; readonly name: string };
  readonly key: { readonly data: string; readonly name: string };
  readonly ca?: { readonly data: string; readonly name: string };
}

export interface FailureExplanation {
  /** One sentence for the 502 a client sees. */
  readonly message: string;
  /** What to do about it, when the doctor knows. */
  readonly fix: string | null;
  /** The doctor's report, its failures and warnings only, as `lean-mock doctor` prints it. */
  readonly text: string;
}

const NETWORK_CHECKS = new Set(['handshake_tls1_3', 'handshake_tls1_2', 'banks_request']);

/**
 * Why the upstream gave no answer, in the doctor's words: the doctor itself is run against the
 * upstream with the same certificate, key and CA (real TLS 1.2 and 1.3 handshakes plus its
 * offline checks), so a refused certificate, an unknown CA or a wrong host name is named, with
 * its fix. Costs two connections; the recorder asks once per kind of failure.
 */
export async function explainUpstreamFailure(
  failure: UpstreamFailure,
  upstream: URL,
  sources: IdentitySources,
  credentials: UpstreamCredentials,
): Promise<FailureExplanation> {
  let report: DoctorReport;
  try {
    report = await diagnose({
      cert: sources.cert,
      key: sources.key,
      ...(sources.ca ? { ca: sources.ca } : {}),
      url: upstream.origin,
      ...(credentials.kind === 'app_token' ? { appToken: credentials.appToken } : {}),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { message: withCode(failure.message, failure.code), fix: null, text: `could not run the doctor: ${why}\n` };
  }
  const bad = report.findings.filter((entry) => entry.status === 'fail' || entry.status === 'warn');
  const lead = pickLead(bad.filter((entry) => entry.status === 'fail'));
  return {
    message: withCode(lead ? lead.message : failure.message, failure.code),
    fix: lead?.fix ?? null,
    text: renderHuman({ ...report, findings: bad }),
  };
}

/** A failed handshake says what happened on the wire; an offline failure says why. Prefer the wire. */
function pickLead(failures: readonly Finding[]): Finding | undefined {
  return failures.find((entry) => NETWORK_CHECKS.has(entry.check)) ?? failures[0];
}

function withCode(message: string, code: string): string {
  return message.includes(code) ? message : `${message} (${code})`;
}
