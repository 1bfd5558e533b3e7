import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { finding } from '../report.js';
import { DoctorInputError, type DoctorOptions, type DoctorSource, type Finding } from '../types.js';
import { describeKey, plural, shortName, subjectOf } from '../words.js';
import { readCertificates } from './certificates.js';
import { readPrivateKey } from './key.js';
import { readPkcs12, type Pkcs12Contents } from './pkcs12.js';
import { readSource } from './source.js';

/** The client's certificate, the chain it sends and its key, as far as they could be read. */
export interface ClientMaterial {
  /** Whether any client material was given at all (none: a probe of the server without a certificate). */
  readonly given: boolean;
  readonly leaf: X509Certificate | null;
  /** The certificates the client sends after the leaf (the rest of the file). */
  readonly sent: readonly X509Certificate[];
  readonly key: KeyObject | null;
  /** `certificate_format` and `key_format`. */
  readonly findings: readonly Finding[];
}

const NOT_GIVEN = 'no client certificate given (--cert/--key or --p12)';
const NOTHING = { leaf: null, sent: [], key: null } as const;

export async function loadClientMaterial(options: DoctorOptions): Promise<ClientMaterial> {
  if (options.p12) return fromPkcs12(options.p12, options.password);
  if (!options.cert) {
    return {
      ...NOTHING,
      given: false,
      findings: [finding('certificate_format', 'skip', NOT_GIVEN), finding('key_format', 'skip', NOT_GIVEN)],
    };
  }
  const certSource = await readSource(options.cert, 'certificate');
  if (!options.key) throw new DoctorInputError('--cert needs --key');
  const keySource = await readSource(options.key, 'key');
  const findings: Finding[] = [];
  let leaf: X509Certificate | null = null;
  let sent: X509Certificate[] = [];
  const certificates = readCertificates(certSource.bytes, certSource.name);
  if (certificates.ok) {
    [leaf = null, ...sent] = certificates.certificates;
    findings.push(describeCertificates(certSource.name, certificates.format, certificates.certificates));
  } else {
    findings.push(finding('certificate_format', 'fail', certificates.message, { fix: certificates.fix }));
  }

  let key: KeyObject | null = null;
  const read = readPrivateKey(keySource.bytes, keySource.name, options.password);
  if (read.ok) {
    key = read.key;
    findings.push(finding('key_format', 'pass', `${keySource.name}: ${read.format}, ${describeKey(read.key)}`));
  } else {
    findings.push(finding('key_format', 'fail', read.message, { fix: read.fix }));
  }
  return { given: true, leaf, sent, key, findings };
}

function describeCertificates(name: string, format: 'PEM' | 'DER', certificates: readonly X509Certificate[]): Finding {
  const [leaf, ...chain] = certificates as [X509Certificate, ...X509Certificate[]];
  const leafText = `${subjectOf(leaf)} (serial ${leaf.serialNumber.toUpperCase()})`;
  if (chain.length === 0) return finding('certificate_format', 'pass', `${name}: ${format}, 1 certificate: ${leafText}`);
  const message = `${name}: ${format}, ${plural(certificates.length, 'certificate')}: the leaf ${leafText}, then ${chain.map((c) => shortName(c.subject)).join(', ')} (sent as its chain)`;
  const realLeaf = chain.find((candidate) => !candidate.ca);
  if (leaf.ca && realLeaf) {
    return finding('certificate_format', 'warn', `${message}; but the first certificate is a CA and ${shortName(realLeaf.subject)} comes later`, {
      fix: `Clients send the first certificate as theirs: put ${shortName(realLeaf.subject)} first, then its issuers.`,
    });
  }
  return finding('certificate_format', 'pass', message);
}

async function fromPkcs12(p12: DoctorSource, password: string | undefined): Promise<ClientMaterial> {
  const source = await readSource(p12, 'PKCS#12 file');
  const read = readPkcs12(source.bytes, source.name, password);
  if (!read.ok) {
    return {
      ...NOTHING,
      given: true,
      findings: [
        finding('certificate_format', 'fail', read.message, { fix: read.fix }),
        finding('key_format', 'skip', `not checked: ${source.name} could not be opened (see certificate_format)`),
      ],
    };
  }
  const { contents } = read;
  const leaf = pickLeaf(contents);
  const sent = contents.certificates.filter((certificate) => certificate !== leaf);
  const findings: Finding[] = [];
  const algorithms = contents.algorithms;
  const certificateProtection = algorithms.certificates === 'none' ? 'certificates unencrypted' : `certificates encrypted with ${algorithms.certificates ?? 'an unnamed algorithm'}`;
  const protection = `${certificateProtection}, MAC ${algorithms.mac ?? 'unnamed'}`;
  if (!leaf) {
    findings.push(finding('certificate_format', 'fail', `${source.name} holds no certificate`, { fix: 'Export it again with the certificate and its chain.' }));
  } else {
    const chain = sent.length ? `, then ${sent.map((c) => shortName(c.subject)).join(', ')}` : '';
    const message = `${source.name}: PKCS#12 (${protection}), ${plural(contents.certificates.length, 'certificate')}: the leaf ${subjectOf(leaf)} (serial ${leaf.serialNumber.toUpperCase()})${chain}`;
    const refusal = contents.opensslError
      ? `; OpenSSL 3 (Node, curl, Python) cannot open it: ${contents.opensslError}${algorithms.legacy.length ? ` (legacy ${algorithms.legacy.join(', ')})` : ''}`
      : '';
    findings.push(
      refusal
        ? finding('certificate_format', 'warn', `${message}${refusal}`, { fix: 'Export it again with AES-256 (openssl pkcs12 -export; lean-mock writes my_app.p12 that way).' })
        : finding('certificate_format', 'pass', message),
    );
  }
  findings.push(
    contents.key
      ? finding('key_format', 'pass', `${source.name}: PKCS#8 key, ${describeKey(contents.key)}, encrypted with ${algorithms.key ?? 'no password'}`)
      : finding('key_format', 'fail', `${source.name} holds no private key, only certificates`, { fix: 'Export it again together with the private key.' }),
  );
  return { given: true, leaf, sent, key: contents.key, findings };
}

/** The key's own certificate: paired by localKeyId, else by public key, else the first non-CA one. */
function pickLeaf(contents: Pkcs12Contents): X509Certificate | null {
  if (contents.pairedCertificate) return contents.pairedCertificate;
  const key = contents.key;
  if (key) {
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const owner = contents.certificates.find((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
    if (owner) return owner;
  }
  return contents.certificates.find((c) => !c.ca) ?? contents.certificates[0] ?? null;
}
