import type { X509Certificate } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import type { DoctorSource } from '../types.js';
import { readCertificates } from './certificates.js';
import { readCrl } from './crl.js';
import { isPem, pemBlocks, whatTheLabelIs } from './pem.js';
import { readSource } from './source.js';

/** Material given with `--ca` or `--crl`: absent, read, or unreadable with a reason for the finding. */
export type Loaded<T> =
  | { readonly given: false }
  | { readonly given: true; readonly ok: true; readonly name: string; readonly items: readonly T[] }
  | { readonly given: true; readonly ok: false; readonly name: string; readonly message: string; readonly fix: string };

/** The CA certificates the client and server trust (`--ca`). */
export async function loadCaCertificates(source: DoctorSource | undefined): Promise<Loaded<X509Certificate>> {
  if (!source) return { given: false };
  const { name, bytes } = await readSource(source, 'CA file');
  const read = readCertificates(bytes, name);
  if (!read.ok) return { given: true, ok: false, name, message: `--ca ${read.message}`, fix: 'Pass the CA certificates the server trusts (for Lean: lean_public_cert_chain.pem).' };
  return { given: true, ok: true, name, items: read.certificates };
}

/** Certificate revocation lists (`--crl`): PEM (`X509 CRL`, one or several) or one DER CRL. */
export async function loadCrls(source: DoctorSource | undefined): Promise<Loaded<x509.X509Crl>> {
  if (!source) return { given: false };
  const { name, bytes } = await readSource(source, 'CRL file');
  const fix = 'Pass the CRLs of the CAs that issued the certificate (lean-mock writes them to ca/crls.pem).';
  try {
    if (!isPem(bytes)) return { given: true, ok: true, name, items: [readCrl(new Uint8Array(bytes))] };
    const blocks = pemBlocks(bytes);
    const crls = blocks.filter((block) => block.label === 'X509 CRL' || block.label === 'CRL');
    if (crls.length === 0) {
      const holds = blocks[0] ? whatTheLabelIs(blocks[0].label) : 'no complete PEM block';
      return { given: true, ok: false, name, message: `--crl ${name} holds ${holds}, not a CRL`, fix };
    }
    return { given: true, ok: true, name, items: crls.map((block) => readCrl(new Uint8Array(block.der))) };
  } catch {
    return { given: true, ok: false, name, message: `--crl ${name} is not a readable CRL (PEM or DER)`, fix };
  }
}
