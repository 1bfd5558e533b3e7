import { pemBody } from './pem.js';
import { normalizeSerial } from './serial.js';

/**
 * The serials a CRL lists, read straight from its DER: a server that only serves its PKI's own
 * CRLs can answer "what is revoked" without loading the X.509 library that signs new ones.
 */

const TAG = { integer: 0x02, sequence: 0x30, utcTime: 0x17, generalizedTime: 0x18 } as const;

interface Element {
  readonly tag: number;
  /** Where the contents start and end in the buffer. */
  readonly start: number;
  readonly end: number;
}

/**
 * Canonical serials ({@link normalizeSerial}: a positive INTEGER's `00` sign byte dropped), each
 * once, in the CRL's order. Throws naming the fault when `crlPem` is not a well-formed CRL.
 */
export function crlSerials(crlPem: string): string[] {
  const der = pemBody(crlPem);
  const certificateList = required(read(der, 0, der.length), TAG.sequence, 'CertificateList');
  const tbs = children(der, required(read(der, certificateList.start, certificateList.end), TAG.sequence, 'TBSCertList'));
  // TBSCertList: version?, signature, issuer, thisUpdate, nextUpdate?, revokedCertificates?, extensions?
  let index = tbs[0]?.tag === TAG.integer ? 1 : 0;
  index += 2; // signature algorithm and issuer
  if (!isTime(tbs[index])) throw new Error('not a CRL: thisUpdate is missing');
  index += 1;
  if (isTime(tbs[index])) index += 1;
  const revoked = tbs[index];
  if (revoked?.tag !== TAG.sequence) return [];
  const serials = children(der, revoked).map((entry) => {
    const serial = required(children(der, required(entry, TAG.sequence, 'revoked entry'))[0], TAG.integer, 'revoked serial');
    return normalizeSerial(der.subarray(serial.start, serial.end).toString('hex'));
  });
  return [...new Set(serials)];
}

function isTime(element: Element | undefined): boolean {
  return element?.tag === TAG.utcTime || element?.tag === TAG.generalizedTime;
}

function required(element: Element | undefined, tag: number, what: string): Element {
  if (element?.tag !== tag) throw new Error(`not a CRL: ${what} is missing or malformed`);
  return element;
}

function children(der: Buffer, parent: Element): Element[] {
  const found: Element[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = read(der, offset, parent.end);
    found.push(child);
    offset = child.end;
  }
  return found;
}

/** One DER tag-length-value at `offset`, which must end by `limit`. */
function read(der: Buffer, offset: number, limit: number): Element {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined || offset + 2 > limit) throw new Error('not a CRL: truncated DER');
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) throw new Error('not a CRL: bad DER length');
    length = der.readUIntBE(start, bytes);
    start += bytes;
  }
  const end = start + length;
  if (end > limit) throw new Error('not a CRL: truncated DER');
  return { tag, start, end };
}
