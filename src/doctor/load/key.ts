import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { kdfProblem } from './kdf-limits.js';
import { looksLikePkcs12 } from './pkcs12.js';
import { isPem, isPrivateKeyLabel, pemBlocks, whatTheLabelIs, type PemBlock } from './pem.js';

export type KeyResult = { ok: true; key: KeyObject; format: string } | { ok: false; message: string; fix: string };

const PEM_FORMATS: Record<string, string> = {
  'PRIVATE KEY': 'PKCS#8 PEM',
  'ENCRYPTED PRIVATE KEY': 'encrypted PKCS#8 PEM',
  'RSA PRIVATE KEY': 'PKCS#1 PEM (BEGIN RSA PRIVATE KEY)',
  'EC PRIVATE KEY': 'SEC1 PEM (BEGIN EC PRIVATE KEY)',
  'DSA PRIVATE KEY': 'DSA PEM',
};

const SWAPPED_FIX = 'Pass the certificate with --cert and its private key with --key.';

/** Reads a private key in any of the forms clients meet: PKCS#8, PKCS#1, SEC1; PEM or DER; encrypted or not. */
export function readPrivateKey(bytes: Buffer, name: string, password: string | undefined): KeyResult {
  return isPem(bytes) ? fromPem(bytes, name, password) : fromDer(bytes, name, password);
}

function fromPem(bytes: Buffer, name: string, password: string | undefined): KeyResult {
  const blocks = pemBlocks(bytes);
  const block = blocks.find((candidate) => isPrivateKeyLabel(candidate.label));
  if (!block) {
    const first = blocks[0];
    const holds = first ? whatTheLabelIs(first.label) : 'no complete PEM block';
    return {
      ok: false,
      message: `${name} holds ${holds}, not a private key`,
      fix: first?.label === 'CERTIFICATE' ? `${SWAPPED_FIX} Did you swap them?` : 'Pass the private key file that belongs to the certificate (e.g. my_app_private_key.pem).',
    };
  }
  if (block.label === 'OPENSSH PRIVATE KEY') {
    return { ok: false, message: `${name} is an OpenSSH key, which TLS clients cannot use`, fix: 'Convert it to PKCS#8 PEM: ssh-keygen -p -m PKCS8 -f FILE (on a copy).' };
  }
  const legacyEncrypted = block.headers['Proc-Type']?.includes('ENCRYPTED') === true;
  const encrypted = legacyEncrypted || block.label === 'ENCRYPTED PRIVATE KEY';
  const cipher = block.headers['DEK-Info']?.split(',')[0];
  const format = legacyEncrypted ? `encrypted ${PEM_FORMATS[block.label] ?? block.label}${cipher ? ` (${cipher})` : ''}` : (PEM_FORMATS[block.label] ?? block.label);
  if (encrypted && password === undefined) return needsPassword(name, format);
  const costly = block.label === 'ENCRYPTED PRIVATE KEY' ? kdfProblem(block.der) : null;
  if (costly) return tooCostly(name, format, costly);
  try {
    const key = createPrivateKey(encrypted ? { key: block.text, passphrase: password } : block.text);
    return { ok: true, key, format: withPassword(format, encrypted) };
  } catch (error) {
    return encrypted ? wrongPassword(name, format) : unreadable(name, format, error, block);
  }
}

function fromDer(bytes: Buffer, name: string, password: string | undefined): KeyResult {
  // OpenSSL derives before it can say the password is wrong: refuse a ruinous KDF first.
  const costly = kdfProblem(bytes);
  if (costly) return tooCostly(name, 'encrypted PKCS#8 DER', costly);
  const attempts: [string, 'pkcs8' | 'pkcs1' | 'sec1'][] = [['PKCS#8 DER', 'pkcs8'], ['PKCS#1 DER', 'pkcs1'], ['SEC1 DER', 'sec1']];
  for (const [format, type] of attempts) {
    try {
      return { ok: true, key: createPrivateKey({ key: bytes, format: 'der', type, passphrase: password }), format };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (type !== 'pkcs8') continue;
      if (code === 'ERR_MISSING_PASSPHRASE') return needsPassword(name, 'encrypted PKCS#8 DER');
      if (code === 'ERR_OSSL_BAD_DECRYPT') return wrongPassword(name, 'encrypted PKCS#8 DER');
    }
  }
  if (looksLikePkcs12(bytes)) {
    return { ok: false, message: `${name} is a PKCS#12 file, not a private key`, fix: 'Pass it with --p12 FILE --password PASSWORD instead of --cert and --key.' };
  }
  if (isCertificate(bytes)) return { ok: false, message: `${name} holds a certificate (DER), not a private key`, fix: `${SWAPPED_FIX} Did you swap them?` };
  return { ok: false, message: `${name} is neither a PEM nor a DER private key (${bytes.length} bytes)`, fix: 'Pass the private key that belongs to the certificate: PKCS#8, PKCS#1 or SEC1, PEM or DER.' };
}

function tooCostly(name: string, format: string, why: string): KeyResult {
  return { ok: false, message: `${name} (${format}) was not decrypted: ${why}`, fix: 'Encrypt the key again with usual settings: openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000.' };
}

function withPassword(format: string, encrypted: boolean): string {
  return encrypted ? `${format}, decrypted with the password given` : format;
}

function needsPassword(name: string, format: string): KeyResult {
  return { ok: false, message: `${name} is an ${format} key and no password was given`, fix: 'Pass its password with --password, or decrypt it once: openssl pkey -in KEY -out plain.pem.' };
}

function wrongPassword(name: string, format: string): KeyResult {
  return { ok: false, message: `the password given does not decrypt ${name} (${format})`, fix: 'Pass the password the key was encrypted with.' };
}

function unreadable(name: string, format: string, error: unknown, block: PemBlock): KeyResult {
  const why = error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:[^:]*:+/i, '') : String(error);
  return { ok: false, message: `${name} has a "${block.label}" block (${format}) that cannot be read: ${why}`, fix: 'The file is damaged or truncated: take the key again from where it was generated.' };
}

function isCertificate(bytes: Buffer): boolean {
  try {
    new X509Certificate(bytes);
    return true;
  } catch {
    return false;
  }
}
