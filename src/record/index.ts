import { createLeanPki } from '../pki/lean-pki.js';
import { startLeanMock, type LeanMock, type LeanMockOptions } from '../server/lean-mock.js';
import { createUpstreamClient, type UpstreamIdentity } from '../upstream/client.js';
import type { UpstreamCredentials } from '../upstream/credentials.js';
import { explainUpstreamFailure } from '../upstream/explain.js';
import { createExchangeWriter } from './exchange-writer.js';
import { createForwarder } from './forwarder.js';
import type { ForwardedExchange, UpstreamTrouble } from './types.js';

export type { ForwardedExchange, UpstreamTrouble } from './types.js';

export interface RecordOptions extends Omit<LeanMockOptions, 'replay'> {
  /** `https://…` of Lean's sandbox (or anything speaking Lean's API). */
  upstream: string;
  /** The user's own certificate, key and CA for the upstream, as PEM text. */
  identity: UpstreamIdentity;
  /** How the files were named, for explanations (`--upstream-cert my_app_cert.crt` …). */
  identityNames?: { cert?: string; key?: string; ca?: string };
  credentials: UpstreamCredentials;
  /** Where exchange files go (created if absent; numbering continues after files already there). */
  out: string;
  /** The OAuth token endpoint; default derived from the upstream's host. */
  tokenUrl?: string;
  onExchange?: (exchange: ForwardedExchange) => void;
  onFailure?: (trouble: UpstreamTrouble) => void;
}

/**
 * lean-mock's gate (its PKI, tokens, journal and inspector) in front of a real upstream: each
 * accepted request is forwarded with the user's identity and written to `out` as one file.
 */
export async function startRecorder(options: RecordOptions): Promise<LeanMock> {
  const pki = options.pki ?? (await createLeanPki());
  const clock = options.clock ?? (() => new Date());
  const upstream = createUpstreamClient({
    url: options.upstream,
    identity: options.identity,
    credentials: options.credentials,
    tokenUrl: options.tokenUrl,
    now: () => clock().getTime(),
  });
  const mockSecrets = pki.apps.flatMap((app) => [app.appToken, app.clientSecret, app.webhookSecret]);
  const writer = await createExchangeWriter({
    dir: options.out,
    upstream: upstream.url.origin,
    secrets: () => [...mockSecrets, ...upstream.secrets()],
    clock,
  });
  const names = options.identityNames ?? {};
  const forward = createForwarder({
    upstream,
    writer,
    explain: (failure) =>
      explainUpstreamFailure(
        failure,
        upstream.url,
        {
          cert: { data: options.identity.cert, name: names.cert ?? 'the upstream certificate' },
          key: { data: options.identity.key, name: names.key ?? 'the upstream key' },
          ...(options.identity.ca ? { ca: { data: options.identity.ca, name: names.ca ?? 'the upstream CA' } } : {}),
        },
        options.credentials,
      ),
    clock,
    onExchange: options.onExchange,
    onFailure: options.onFailure,
  });
  let mock: LeanMock;
  try {
    mock = await startLeanMock({ ...options, pki }, { forward });
  } catch (error) {
    upstream.close();
    throw error;
  }
  return {
    ...mock,
    close: async () => {
      upstream.close();
      await mock.close();
    },
  };
}
