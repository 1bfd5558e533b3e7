import { X509Certificate } from 'node:crypto';
import { looksLikePkcs12 } from './pkcs12.js';
import { isPem, isPrivateKeyLabel, pemBlocks, whatTheLabelIs } from './pem.js';

export type CertificatesResult =
  | { ok: true; certificates: X509Certificate[]; format: 'PEM' | 'DER' }
  | { ok: false; message: string; fix: string };

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** Reads one certificate (DER) or a PEM bundle of several, in the file's order. */
export function readCertificates(bytes: Buffer, name: string): CertificatesResult {
  if (!isPem(bytes)) return fromDer(bytes, name);
  const blocks = pemBlocks(bytes);
  const certificateBlocks = blocks.filter((block) => CERTIFICATE_LABELS.has(block.label));
  if (certificateBlocks.length === 0) {
    const first = blocks[0];
    if (!first) return { ok: false, message: `${name} has no complete PEM block`, fix: 'The file is damaged or truncated: download the certificate again.' };
    return { ok: false, message: `${name} holds ${whatTheLabelIs(first.label)}, not a certificate`, fix: fixFor(first.label) };
  }
  const certificates: X509Certificate[] = [];
  for (const [index, block] of certificateBlocks.entries()) {
    try {
      certificates.push(new X509Certificate(block.der));
    } catch {
      return {
        ok: false,
        message: `certificate ${index + 1} of ${certificateBlocks.length} in ${name} cannot be parsed (damaged base64 or not X.509)`,
        fix: 'The file is damaged or truncated: download the certificate again.',
      };
    }
  }
  return { ok: true, certificates, format: 'PEM' };
}

function fromDer(bytes: Buffer, name: string): CertificatesResult {
  try {
    return { ok: true, certificates: [new X509Certificate(bytes)], format: 'DER' };
  } catch {
    if (looksLikePkcs12(bytes)) {
      return { ok: false, message: `${name} is a PKCS#12 file, not a certificate`, fix: 'Pass it with --p12 FILE --password PASSWORD instead of --cert and --key.' };
    }
    return { ok: false, message: `${name} is neither a PEM nor a DER certificate (${bytes.length} bytes)`, fix: 'Pass the client certificate Lean issued (my_app_cert.crt), PEM or DER.' };
  }
}

function fixFor(label: string): string {
  if (isPrivateKeyLabel(label)) return 'Pass the certificate with --cert and its private key with --key. Did you swap them?';
  if (label.includes('CERTIFICATE REQUEST')) return 'A CSR is what you upload to the Lean portal; pass the certificate the portal gives back.';
  return 'Pass the client certificate Lean issued (my_app_cert.crt), PEM or DER.';
}
