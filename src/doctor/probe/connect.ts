import { request } from 'node:http';
import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate, type TLSSocket } from 'node:tls';

export type TlsVersion = '1.2' | '1.3';

/** Where to connect and what to present; PEM text throughout. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Leaf + the chain the client sends; absent: no client certificate. */
  readonly cert?: string;
  readonly key?: string;
  /** Trusted for the server; absent: Node's bundled public roots. */
  readonly ca?: readonly string[];
  readonly insecure: boolean;
  readonly timeoutMs: number;
}

export interface ServerFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly altNames: string;
}

export interface TlsFacts {
  readonly version: string;
  readonly cipher: string;
  readonly server: ServerFacts;
}

/** How far one connection got, and what stopped it. */
export type ProbeOutcome =
  | { readonly stage: 'client'; readonly message: string }
  | { readonly stage: 'connect'; readonly code: string; readonly message: string }
  | { readonly stage: 'timeout'; readonly during: 'connect' | 'handshake' | 'response'; readonly tls: TlsFacts | null; readonly requestSent: boolean }
  | { readonly stage: 'handshake'; readonly code: string; readonly message: string; readonly alert: number | null }
  | { readonly stage: 'server_untrusted'; readonly tls: TlsFacts; readonly reason: string }
  | { readonly stage: 'hostname'; readonly tls: TlsFacts; readonly message: string }
  | { readonly stage: 'after_handshake'; readonly tls: TlsFacts; readonly code: string; readonly message: string; readonly alert: number | null; readonly requestSent: boolean }
  | { readonly stage: 'answered'; readonly tls: TlsFacts; readonly verified: boolean; readonly status: number; readonly contentType: string; readonly body: string };

const MAX_BODY = 1 << 20;

/**
 * One real connection pinned to `version`: TCP, the TLS handshake with the client certificate,
 * the server's certificate checked here (so a failure can name it, and no credential is written
 * to a server that is not trusted, unless `insecure` waives the check), then one request on the same connection. A TLS 1.3 server
 * decides on the client certificate after the client's handshake is done, so only the answer to
 * a request tells whether it was accepted.
 */
export function probe(target: ProbeTarget, version: TlsVersion): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let socket: TLSSocket | undefined;
    let stage: 'connect' | 'handshake' | 'response' = 'connect';
    let tls: TlsFacts | null = null;
    // Whether the request (and the app token in its headers) was handed to the connection.
    let requestSent = false;
    let settled = false;
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ stage: 'timeout', during: stage, tls, requestSent }), target.timeoutMs);
    try {
      socket = connect({
        host: target.host,
        port: target.port,
        ...(isIP(target.host) ? {} : { servername: target.host }),
        cert: target.cert,
        key: target.key,
        ca: target.ca ? [...target.ca] : undefined,
        minVersion: `TLSv${version}`,
        maxVersion: `TLSv${version}`,
        // Checked by hand below: the failure must be explained, not just refused.
        rejectUnauthorized: false,
      });
    } catch (error) {
      finish({ stage: 'client', message: errorText(error) });
      return;
    }
    const tlsSocket = socket;
    socket.once('connect', () => (stage = 'handshake'));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      const alert = alertNumber(error.message);
      if (stage === 'connect') finish({ stage: 'connect', code, message: error.message });
      else if (!tls) finish({ stage: 'handshake', code, message: error.message, alert });
      else finish({ stage: 'after_handshake', tls, code, message: error.message, alert, requestSent });
    });
    socket.once('secureConnect', () => {
      stage = 'response';
      const peer = tlsSocket.getPeerCertificate();
      tls = { version: tlsSocket.getProtocol() ?? `TLSv${version}`, cipher: tlsSocket.getCipher()?.name ?? 'unknown', server: serverFacts(peer) };
      if (!target.insecure) {
        // Node reports a name mismatch as an authorization error too, once the chain itself verified.
        const reason = tlsSocket.authorized ? null : String(tlsSocket.authorizationError ?? 'UNKNOWN');
        if (reason && reason !== 'ERR_TLS_CERT_ALTNAME_INVALID') return finish({ stage: 'server_untrusted', tls, reason });
        const mismatch = checkServerIdentity(target.host, peer);
        if (mismatch) return finish({ stage: 'hostname', tls, message: mismatch.message });
      }
      const facts = tls;
      const verified = !target.insecure;
      let req: ReturnType<typeof request>;
      try {
        req = request({
          host: target.host,
          port: target.port,
          path: target.path,
          headers: { accept: 'application/json', connection: 'close', ...target.headers },
          createConnection: () => tlsSocket,
        });
      } catch (error) {
        // A path or header value Node refuses to send: our mistake to report, not a crash in an event handler.
        return finish({ stage: 'client', message: errorText(error) });
      }
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body = body.length < MAX_BODY ? body + chunk : body));
        const answered = (): void =>
          finish({ stage: 'answered', tls: facts, verified, status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body });
        res.on('end', answered);
        res.on('error', answered);
      });
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish({ stage: 'after_handshake', tls: facts, code: error.code ?? 'ERROR', message: error.message, alert: alertNumber(error.message), requestSent }),
      );
      req.once('finish', () => (requestSent = true));
      req.end();
    });
    socket.once('close', () => {
      if (tls) return;
      if (stage === 'connect') finish({ stage: 'connect', code: 'ECONNRESET', message: 'connection closed' });
      else finish({ stage: 'handshake', code: 'ECONNRESET', message: 'connection closed during the handshake', alert: null });
    });
  });
}

function alertNumber(message: string): number | null {
  const match = /alert number (\d+)/i.exec(message);
  return match?.[1] ? Number(match[1]) : null;
}

function serverFacts(peer: PeerCertificate | undefined): ServerFacts {
  const name = (entries: PeerCertificate['subject'] | undefined): string =>
    entries ? Object.entries(entries).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', ') : '(none)';
  return { subject: name(peer?.subject), issuer: name(peer?.issuer), altNames: peer?.subjectaltname ?? '' };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:[^:]*:+/i, '') : String(error);
}
