import { readFile } from 'node:fs/promises';
import { DoctorInputError, type DoctorSource } from '../types.js';

/** The bytes of a source and the name messages call it by. */
export interface SourceBytes {
  readonly name: string;
  readonly bytes: Buffer;
}

/** What messages call a source: its path, or the name given to in-memory data. */
export function sourceName(source: DoctorSource, role: string): string {
  return source.name ?? ('path' in source ? source.path : `(${role} given in memory)`);
}

/** Reads a file (or takes in-memory data). A file that cannot be read is an input error, not a finding. */
export async function readSource(source: DoctorSource, role: string): Promise<SourceBytes> {
  if ('data' in source) {
    const bytes = typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : Buffer.from(source.data);
    return { name: sourceName(source, role), bytes };
  }
  try {
    return { name: sourceName(source, role), bytes: await readFile(source.path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(error));
    throw new DoctorInputError(`cannot read ${role} ${sourceName(source, role)}: ${why}`);
  }
}

/** One PEM block: its label, its encapsulated headers (Proc-Type, DEK-Info) and its DER bytes. */
export interface PemBlock {
  readonly label: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly der: Buffer;
  readonly text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function isPem(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

/** Every PEM block in the text, in order; text around them (comments, `Bag Attributes`) is ignored. */
export function pemBlocks(bytes: Buffer): PemBlock[] {
  const text = bytes.toString('latin1');
  return [...text.matchAll(BLOCK)].map((match) => {
    const body = match[2] ?? '';
    const headers: Record<string, string> = {};
    const base64Lines: string[] = [];
    for (const line of body.split(/\r?\n/)) {
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
      if (header?.[1] && header[2] !== undefined) headers[header[1]] = header[2];
      else base64Lines.push(line.trim());
    }
    return { label: match[1] ?? '', headers, der: Buffer.from(base64Lines.join(''), 'base64'), text: `${match[0]}\n` };
  });
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY']);

export function isPrivateKeyLabel(label: string): boolean {
  return KEY_LABELS.has(label);
}

/** "a certificate signing request" etc.: what a file holds instead, for "X holds Y, not Z" messages. */
export function whatTheLabelIs(label: string): string {
  if (isPrivateKeyLabel(label)) return 'a private key';
  if (label === 'CERTIFICATE' || label === 'TRUSTED CERTIFICATE') return 'a certificate';
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') return 'a certificate signing request (CSR)';
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return 'a public key';
  if (label === 'X509 CRL') return 'a certificate revocation list';
  if (label === 'PKCS7') return 'a PKCS#7 bundle';
  return `a "${label}" block`;
}
