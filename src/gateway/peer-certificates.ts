import type { TLSSocket } from 'node:tls';
import type { ClientCertificateInfo } from './journal.js';
import { classifyHandshake, describeClient, type CapturedCertificate, type ChainKnowledge, type Verdict } from './verdict.js';

/**
 * What the gate derives from one client certificate's bytes: Node's view of it, the journal's
 * description and, per error code, the verdict. Shared by every connection that presents the
 * same certificate, hence frozen.
 */
export interface PeerCertificate {
  readonly captured: CapturedCertificate;
  readonly client: Readonly<ClientCertificateInfo>;
}

/** The two TLSSocket methods the cache reads: structural, so a test can present bytes directly. */
export type PeerSource = Pick<TLSSocket, 'getPeerX509Certificate' | 'getPeerCertificate'>;

/** Distinct certificates kept. A client reconnecting is the common case; a storm of distinct hostile ones only evicts. */
export const PEER_CACHE_CAPACITY = 64;
/** Bigger certificates are described every time rather than kept: 64 entries stay within a few MiB however hostile. */
export const MAX_CACHED_DER_BYTES = 16 * 1024;

interface Entry extends PeerCertificate {
  readonly verdicts: Map<string, Verdict>;
}

/**
 * Parsing a client certificate (Node's X509-to-object and the DER walk behind the journal's
 * description) costs more than the rest of the gate's per-connection work, and nearly every
 * connection presents a certificate the gate has seen before. So what depends only on the
 * certificate is kept per DER: the key is the certificate's exact bytes, so two certificates that
 * differ in any byte (a twin with the same subject and serial but other dates or usages) never
 * share an entry. Everything else (the CRLs, the chain the client sent) reaches the verdict
 * through OpenSSL's error code, which is part of the verdict's key.
 */
export class PeerCertificateCache {
  private readonly entries = new Map<string, Entry>();
  /** Certificates read from their DER (a miss), for tests and diagnostics. */
  parsed = 0;

  constructor(
    private readonly chains: ChainKnowledge,
    readonly capacity: number = PEER_CACHE_CAPACITY,
  ) {}

  /** The peer's certificate, read once per distinct DER; null when the peer sent none. */
  read(socket: PeerSource): PeerCertificate | null {
    const der = socket.getPeerX509Certificate()?.raw;
    if (!der) return null;
    if (this.capacity === 0 || der.length > MAX_CACHED_DER_BYTES) return this.parse(socket);
    // latin1 maps each byte to one character: equal keys are equal bytes.
    const key = der.toString('latin1');
    const kept = this.entries.get(key);
    if (kept) {
      // Least recently used goes first: refresh this one.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const entry = this.parse(socket);
    if (!entry) return null;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
    return entry;
  }

  /** The gate's verdict on a handshake with `peer`'s certificate (see classifyHandshake), computed once per certificate and codes. */
  verdict(peer: PeerCertificate | null, authorizationError: string | null, handshakeErrorCode?: string): Verdict {
    const input = { authorizationError, handshakeErrorCode, certificate: peer?.captured ?? null };
    const verdicts = (peer as Entry | null)?.verdicts;
    if (!verdicts) return classifyHandshake(input, this.chains);
    const key = `${authorizationError ?? ''}\u0000${handshakeErrorCode ?? ''}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = Object.freeze(classifyHandshake(input, this.chains));
      verdicts.set(key, verdict);
    }
    return verdict;
  }

  private parse(socket: PeerSource): Entry | null {
    this.parsed++;
    const captured = capturePeer(socket);
    if (!captured) return null;
    const client = describeClient(captured)!;
    for (const list of [client.key_usage, client.extended_key_usage, client.faults]) if (list) Object.freeze(list);
    return { captured: Object.freeze(captured), client: Object.freeze(client), verdicts: new Map() };
  }
}

function capturePeer(socket: PeerSource): CapturedCertificate | null {
  const peer = socket.getPeerCertificate();
  if (!peer || !peer.raw) return null;
  const { subject, issuer, serialNumber, fingerprint256, valid_from, valid_to, raw, ca } = peer;
  return { subject, issuer, serialNumber, fingerprint256, valid_from, valid_to, raw, ca };
}
