import forge from 'node-forge';

type Asn1 = forge.asn1.Asn1;

/**
 * The most password-hashing work the doctor agrees to do for one file. Real files use 2048
 * (OpenSSL's default) to 600 000 (NIST's advice for PBKDF2-SHA256) iterations; a count above this
 * is a hostile or broken file, and deriving with 2^31 of them would hang the doctor for hours.
 */
export const MAX_KDF_ITERATIONS = 10_000_000;
/** scrypt needs 128 × N × r bytes: more than this is refused (OpenSSL's own default cap is 32 MiB). */
export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;
/** scrypt's parallelisation: p repeats the whole work p times. */
export const MAX_SCRYPT_PARALLELISM = 16;

const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';
/** PKCS#12's own PBEs (1.2.840.113549.1.12.1.x) and PKCS#5 v1.5 PBES1: params are { salt, iterations }. */
const SALT_THEN_ITERATIONS = /^1\.2\.840\.113549\.1\.(12\.1\.[1-6]|5\.(1|3|4|6|10|11))$/;

/** How deep the walk goes into DER nested in OCTET STRINGs (a PFX nests three levels). */
const MAX_NESTING = 6;

/**
 * Why deriving a key from this DER (a PFX, an encrypted PKCS#8 key) would cost too much, or null:
 * every KDF whose parameters are in the clear is checked, without deriving anything. What sits
 * inside an encrypted container is only seen once the container is open, so PKCS#12 files are
 * also opened under {@link withIterationGuard}.
 */
export function kdfProblem(der: Buffer | string): string | null {
  let root: Asn1;
  try {
    root = forge.asn1.fromDer(typeof der === 'string' ? der : der.toString('binary'), false);
  } catch {
    return null;
  }
  return walk(root, 0);
}

/** The PFX's MacData `{ mac, macSalt, iterations DEFAULT 1 }`: checked before forge or OpenSSL verify it. */
export function macIterationProblem(pfx: Asn1): string | null {
  const macData = children(pfx)[2];
  const iterations = integerAt(children(macData)[2]);
  return iterations !== null && iterations > BigInt(MAX_KDF_ITERATIONS) ? tooManyIterations('its integrity MAC', iterations) : null;
}

function walk(node: Asn1, nesting: number): string | null {
  const parts = children(node);
  const oid = oidAt(parts[0]);
  if (oid) {
    const problem = paramsProblem(oid, parts[1]);
    if (problem) return problem;
  }
  for (const child of parts) {
    const problem = walk(child, nesting);
    if (problem) return problem;
  }
  if (node.type === forge.asn1.Type.OCTETSTRING && typeof node.value === 'string' && nesting < MAX_NESTING && node.value.length > 1) {
    try {
      return walk(forge.asn1.fromDer(node.value, false), nesting + 1);
    } catch {
      return null;
    }
  }
  return null;
}

function paramsProblem(oid: string, params: Asn1 | undefined): string | null {
  const values = children(params);
  if (oid === PBKDF2 || SALT_THEN_ITERATIONS.test(oid)) {
    const iterations = integerAt(values[1]);
    if (iterations !== null && iterations > BigInt(MAX_KDF_ITERATIONS)) return tooManyIterations(oid === PBKDF2 ? 'its PBKDF2 key derivation' : 'its password-based encryption', iterations);
  }
  if (oid === SCRYPT) {
    const [n, r, p] = [integerAt(values[1]), integerAt(values[2]), integerAt(values[3])];
    if (n !== null && r !== null && 128n * n * r > BigInt(MAX_SCRYPT_MEMORY_BYTES)) {
      return `its scrypt key derivation asks for N=${n}, r=${r}: ${128n * n * r} bytes of memory, over the doctor's limit of ${MAX_SCRYPT_MEMORY_BYTES} (256 MiB)`;
    }
    if (p !== null && p > BigInt(MAX_SCRYPT_PARALLELISM)) return `its scrypt key derivation asks for p=${p}, over the doctor's limit of ${MAX_SCRYPT_PARALLELISM}`;
  }
  return null;
}

function tooManyIterations(what: string, iterations: bigint): string {
  return `${what} asks for ${iterations} iterations, over the doctor's limit of ${MAX_KDF_ITERATIONS.toLocaleString('en-US')} (real files use 2,048 to 600,000): no key was derived`;
}

/**
 * Runs `open` with forge's two password KDFs refusing counts over the limit: keys in bags inside an
 * encrypted container have parameters no one can read before the container is decrypted.
 */
export function withIterationGuard<T>(open: () => T): T {
  const pkcs5 = forge.pkcs5 as { pbkdf2: (...args: unknown[]) => unknown };
  const pkcs12 = forge.pkcs12 as unknown as { generateKey: (...args: unknown[]) => unknown };
  const [pbkdf2, generateKey] = [pkcs5.pbkdf2, pkcs12.generateKey];
  const guard = (iterations: unknown, what: string): void => {
    if (typeof iterations === 'number' && iterations > MAX_KDF_ITERATIONS) throw new KdfLimitError(tooManyIterations(what, BigInt(iterations)));
  };
  pkcs5.pbkdf2 = (...args) => (guard(args[2], 'its PBKDF2 key derivation'), pbkdf2(...args));
  // generateKey(password, salt, id, iter, n, md)
  pkcs12.generateKey = (...args) => (guard(args[3], 'its password-based encryption'), generateKey(...args));
  try {
    return open();
  } finally {
    pkcs5.pbkdf2 = pbkdf2;
    pkcs12.generateKey = generateKey;
  }
}

export class KdfLimitError extends Error {}

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

function oidAt(node: Asn1 | undefined): string | null {
  if (!node || node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') return null;
  try {
    return forge.asn1.derToOid(node.value);
  } catch {
    return null;
  }
}

function integerAt(node: Asn1 | undefined): bigint | null {
  if (!node || node.type !== forge.asn1.Type.INTEGER || typeof node.value !== 'string' || node.value.length === 0 || node.value.length > 64) return null;
  return BigInt(`0x${forge.util.bytesToHex(node.value)}`);
}
