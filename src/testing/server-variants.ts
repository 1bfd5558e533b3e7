import type { HandshakeRecord } from '../gateway/journal.js';
import { serverVariantNamed, type ServerVariantName } from '../pki/server-variants/catalogue.js';
import type { LeanMock } from '../server/lean-mock.js';

export interface ExpectClientRefusesOptions {
  /** How long to wait for the client to reach the variant's listener. Default 5000 ms. */
  timeoutMs?: number;
}

/** How the client refused the bad server certificate. */
export interface ClientRefusal {
  readonly variant: ServerVariantName;
  /** The TLS alert the client sent (e.g. `certificate_expired`); null when it just closed (Node, hostname checks). */
  readonly alert: string | null;
  /** What the call threw, if it threw (most clients do; the journal, not this, is the verdict). */
  readonly error: unknown;
  /** The journal entry of the connection. */
  readonly handshake: HandshakeRecord;
}

/**
 * Runs `call(url)` against the listener presenting the `variant` server certificate and resolves
 * once the client refused it; rejects, naming the variant, when the client accepted it (it does not
 * verify the server) or never connected. The verdict comes from what reached the server, not from
 * whether `call` threw: an insecure client may well throw on the 421 it gets.
 */
export async function expectClientRefusesServer(
  mock: Pick<LeanMock, 'journal' | 'serverVariants'>,
  variant: ServerVariantName,
  call: (url: string) => Promise<unknown>,
  options: ExpectClientRefusesOptions = {},
): Promise<ClientRefusal> {
  const description = serverVariantNamed(variant);
  if (!description) throw new TypeError(`expectClientRefusesServer: no server variant named "${String(variant)}"`);
  const url = mock.serverVariants[variant];
  if (!url) throw new Error('expectClientRefusesServer: the mock runs without its server variant listeners (serverVariants: false)');
  const timeoutMs = options.timeoutMs ?? 5000;
  const journaled = mock.journal.nextHandshake((record) => record.server_variant === variant, timeoutMs);
  // Handled here so a client that never connects is reported below, not as an unhandled rejection.
  journaled.catch(() => undefined);
  let error: unknown;
  try {
    await call(url);
  } catch (thrown) {
    error = thrown;
  }
  let handshake: HandshakeRecord;
  try {
    handshake = await journaled;
  } catch {
    throw new Error(
      `expectClientRefusesServer(${variant}): the call never connected to ${url} within ${timeoutMs} ms; call the URL it is given`,
    );
  }
  if (handshake.client_verdict === 'accepted') {
    throw new Error(
      `expectClientRefusesServer(${variant}): the client ACCEPTED a server certificate it must refuse (${description.description}) ` +
        'It does not verify the server, so anyone on the path could impersonate Lean. A correct client reports ' +
        `"${description.expectedClientError.message}". Look for rejectUnauthorized: false, verify=False, InsecureSkipVerify, curl -k, VERIFY_NONE or a trust-all TrustManager.`,
    );
  }
  return { variant, alert: handshake.client_alert ?? null, error, handshake };
}
