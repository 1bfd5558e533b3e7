/** One PEM block: its label, its encapsulated headers (Proc-Type, DEK-Info) and its DER bytes. */
export interface PemBlock {
  readonly label: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly der: Buffer;
  readonly text: string;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

export function isPem(bytes: Buffer): boolean {
  return bytes.includes(BEGIN);
}

/**
 * Every PEM block in the text, in order; text around them (comments, `Bag Attributes`) is ignored.
 * A block runs from `-----BEGIN L-----` to the first `-----END L-----` of the same label after it;
 * a BEGIN line whose END never comes is skipped. The scan is linear in the size of the text: the
 * END lines are indexed once, so a file of thousands of unterminated BEGIN lines (which made a
 * backtracking regular expression take seconds per megabyte) costs no more than any other file.
 */
export function pemBlocks(bytes: Buffer): PemBlock[] {
  const text = bytes.toString('latin1');
  const ends = endMarkers(text);
  const blocks: PemBlock[] = [];
  let from = 0;
  for (let begin = text.indexOf(BEGIN, from); begin !== -1; begin = text.indexOf(BEGIN, Math.max(from, begin + 1))) {
    const label = markerLabel(text, begin + BEGIN.length);
    if (label === null) continue;
    const bodyStart = begin + BEGIN.length + label.length + DASHES.length;
    const end = ends.firstAtOrAfter(label, bodyStart);
    if (end === null) continue;
    const blockEnd = end + END.length + label.length + DASHES.length;
    blocks.push(block(label, text.slice(bodyStart, end), text.slice(begin, blockEnd)));
    from = blockEnd;
  }
  return blocks;
}

/** The label of a `-----BEGIN `/`-----END ` marker whose label starts at `start`, or null if it is no marker. */
function markerLabel(text: string, start: number): string | null {
  let stop = start;
  while (stop < text.length && isLabelCharacter(text.charCodeAt(stop))) stop += 1;
  return stop > start && text.startsWith(DASHES, stop) ? text.slice(start, stop) : null;
}

/** `[A-Z0-9 ]`, the characters of a PEM label. */
function isLabelCharacter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 32;
}

interface EndMarkers {
  /** Where the first END line of `label` at or after `position` starts; null if there is none. */
  firstAtOrAfter(label: string, position: number): number | null;
}

/** The END lines by label, in order. Callers ask with growing positions, so each label's list is walked once. */
function endMarkers(text: string): EndMarkers {
  const byLabel = new Map<string, { positions: number[]; next: number }>();
  for (let at = text.indexOf(END); at !== -1; at = text.indexOf(END, at + 1)) {
    const label = markerLabel(text, at + END.length);
    if (label === null) continue;
    const entry = byLabel.get(label) ?? { positions: [], next: 0 };
    entry.positions.push(at);
    byLabel.set(label, entry);
  }
  return {
    firstAtOrAfter(label, position) {
      const entry = byLabel.get(label);
      if (!entry) return null;
      while (entry.next < entry.positions.length && entry.positions[entry.next]! < position) entry.next += 1;
      return entry.positions[entry.next] ?? null;
    },
  };
}

function block(label: string, body: string, text: string): PemBlock {
  const headers: Record<string, string> = {};
  const base64Lines: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
    if (header?.[1] && header[2] !== undefined) headers[header[1]] = header[2];
    else base64Lines.push(line.trim());
  }
  return { label, headers, der: Buffer.from(base64Lines.join(''), 'base64'), text: `${text}\n` };
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
