import type { X509Certificate } from 'node:crypto';
import { checkChain } from './checks/chain.js';
import { checkKeyMatch } from './checks/key-match.js';
import { checkRevocation } from './checks/revocation.js';
import { checkStrength } from './checks/strength.js';
import { checkUsage } from './checks/usage.js';
import { checkValidity } from './checks/validity.js';
import { loadClientMaterial } from './load/client.js';
import { sourceName } from './load/source.js';
import { loadCaCertificates, loadCrls } from './load/trust.js';
import { probeServer } from './probe/index.js';
import { buildReport, finding } from './report.js';
import {
  DoctorInputError,
  isSendableAppToken,
  type DiagnosedCertificate,
  type DoctorCheck,
  type DoctorInputs,
  type DoctorOptions,
  type DoctorReport,
  type DoctorSource,
  type Finding,
} from './types.js';
import { distinguishedName } from './words.js';
import { certificateFacts } from '../pki/certificate-facts.js';

export { DOCTOR_CHECKS, DoctorInputError, MAX_INPUT_BYTES, isSendableAppToken } from './types.js';
export type {
  DiagnosedCertificate,
  DoctorCheck,
  DoctorInputs,
  DoctorOptions,
  DoctorReport,
  DoctorSource,
  DoctorSummary,
  Finding,
  FindingStatus,
} from './types.js';
export { renderHuman } from './render.js';
export { summaryLine } from './report.js';

/**
 * Diagnoses a client certificate set the way a bank gateway would judge it: formats, key match,
 * dates, usages, strength, chain and (with a CRL) revocation, offline; with `url`, real TLS 1.2
 * and 1.3 handshakes and a request, each outcome explained. Never throws on bad material (that is
 * a finding); throws {@link DoctorInputError} for a file it cannot read or contradictory options.
 *
 * @example
 * const report = await diagnose({ cert: { path: 'my_app_cert.crt' }, key: { path: 'my_app_private_key.pem' },
 *                                 ca: { path: 'lean_public_cert_chain.pem' }, url: 'https://localhost:8443' });
 * if (!report.ok) console.log(renderHuman(report));
 */
export async function diagnose(options: DoctorOptions): Promise<DoctorReport> {
  const url = checkOptions(options);
  const now = options.now ?? new Date();
  const [material, trust, crls] = await Promise.all([loadClientMaterial(options), loadCaCertificates(options.ca), loadCrls(options.crl)]);
  const offline = [
    ...material.findings,
    ...(await guarded(['key_matches_certificate'], () => [checkKeyMatch(material)])),
    ...(await guarded(['validity'], () => [checkValidity(material, now)])),
    ...(await guarded(['extended_key_usage', 'key_usage', 'basic_constraints'], () => checkUsage(material))),
    ...(await guarded(['key_strength', 'signature_algorithm'], () => checkStrength(material))),
    ...(await guarded(['chain'], () => [checkChain(material, trust, now)])),
    ...(await guarded(['revocation'], async () => [await checkRevocation(material, crls, trust, now)])),
  ];
  const network = url
    ? await probeServer({
        url,
        path: options.path,
        appToken: options.appToken,
        insecure: options.insecure,
        timeoutMs: options.timeoutMs,
        ca: trust.given && trust.ok ? trust.items : null,
        material,
        offline,
      })
    : [];
  return buildReport([...offline, ...network], inputsOf(options), material.leaf ? facts(material.leaf) : null);
}

/** A certificate odd enough to trip a parser is reported, not thrown: the rest of the report still stands. */
async function guarded(checks: readonly DoctorCheck[], run: () => Finding[] | Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await run();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return checks.map((check) =>
      finding(check, 'warn', `could not be checked: ${why}`, { fix: 'Report this to lean-mock with the certificate (never the key).' }),
    );
  }
}

function checkOptions(options: DoctorOptions): URL | null {
  if (options.p12 && (options.cert || options.key)) throw new DoctorInputError('--p12 cannot be combined with --cert or --key: give one or the other');
  if (options.key && !options.cert) throw new DoctorInputError('--key needs --cert (the certificate the key belongs to)');
  if (options.cert && !options.key) throw new DoctorInputError('--cert needs --key (the private key file; the same file if it holds both)');
  if (!options.cert && !options.p12 && !options.url) {
    throw new DoctorInputError('nothing to diagnose: give --cert and --key, or --p12 (and --url to test a server)');
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new DoctorInputError(`the timeout must be a positive number of milliseconds, not ${options.timeoutMs}`);
  }
  if (options.path !== undefined && !/^\/[\x21-\x7e]*$/.test(options.path)) {
    throw new DoctorInputError(`--path must start with "/" and hold no spaces or control characters, not "${options.path}"`);
  }
  if (options.appToken !== undefined && !isSendableAppToken(options.appToken)) {
    throw new DoctorInputError('--app-token must be printable ASCII without spaces');
  }
  if (options.url === undefined) return null;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new DoctorInputError(`--url "${options.url}" is not a URL (e.g. https://localhost:8443)`);
  }
  if (url.protocol !== 'https:') throw new DoctorInputError(`--url must be an https:// URL, not "${options.url}"`);
  return url;
}

function inputsOf(options: DoctorOptions): DoctorInputs {
  const name = (source: DoctorSource | undefined, role: string): string | undefined => (source ? sourceName(source, role) : undefined);
  const entries = {
    certificate: name(options.cert, 'certificate'),
    key: name(options.key, 'key'),
    p12: name(options.p12, 'PKCS#12 file'),
    ca: name(options.ca, 'CA file'),
    crl: name(options.crl, 'CRL file'),
    url: options.url,
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

function facts(leaf: X509Certificate): DiagnosedCertificate {
  // Node's printed dates throw on month 13 and say 2001 for 0001: read them from the DER.
  const dates = certificateFacts(new Uint8Array(leaf.raw));
  return {
    subject: distinguishedName(leaf.subject),
    issuer: distinguishedName(leaf.issuer),
    serial: leaf.serialNumber.toUpperCase(),
    fingerprint256: leaf.fingerprint256,
    notBefore: dates.notBefore?.toISOString() ?? null,
    notAfter: dates.notAfter?.toISOString() ?? null,
  };
}
