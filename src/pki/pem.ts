/**
 * PEM text helpers. Every PEM this project writes ends with a newline: @peculiar/x509 omits it,
 * and concatenated blocks without one ("-----END-----BEGIN") break OpenSSL and Node.
 */

export function pemBlock(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER bytes of the first PEM block in `pem`. */
export function pemBody(pem: string): Buffer {
  const match = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  if (!match?.[1]) throw new Error('not a PEM block');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** Splits a bundle into its PEM blocks, each with its trailing newline. */
export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g)?.map((block) => `${block}\n`) ?? [];
}

/** Joins PEM blocks into one bundle, one block after another. */
export function joinPem(blocks: readonly string[]): string {
  return blocks.map((block) => (block.endsWith('\n') ? block : `${block}\n`)).join('');
}
