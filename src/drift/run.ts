import { randomUUID } from 'node:crypto';
import { startLeanMock, type LeanMock } from '../server/lean-mock.js';
import { createUpstreamClient, UpstreamFailure, type UpstreamClient, type UpstreamIdentity } from '../upstream/client.js';
import type { UpstreamCredentials } from '../upstream/credentials.js';
import { PROBES, type Probe, type ProbeIds } from './probes.js';
import { compareShapes, shapeOf, statusClass, type ShapeDifference } from './shape.js';

export interface DriftOptions {
  upstream: string;
  identity: UpstreamIdentity;
  credentials: UpstreamCredentials;
  tokenUrl?: string;
  /** A customer and the entity they connected on the upstream (on Lean, only the LinkSDK connects one). */
  existing?: { customerId: string; entityId: string };
  /** When the upstream is a lean-mock: its admin API, where entities are connected as on the mock. */
  upstreamAdmin?: string;
  /** The mock's data seed. Default 1. */
  seed?: number;
}

export type DriftVerdict = 'same' | 'drift' | 'skipped' | 'failed';

export interface DriftRow {
  readonly probe: string;
  readonly route: string;
  readonly verdict: DriftVerdict;
  /** HTTP statuses; null where the side was not asked or gave no answer. */
  readonly upstream: number | null;
  readonly mock: number | null;
  readonly differences: readonly ShapeDifference[];
  /** Why a probe was skipped or failed. */
  readonly note?: string;
}

export interface DriftReport {
  readonly upstream: string;
  readonly rows: readonly DriftRow[];
  readonly summary: { readonly probes: number; readonly same: number; readonly drifted: number; readonly skipped: number; readonly failed: number };
  /** The first time the upstream gave no answer at all (TLS refused, unreachable …). */
  readonly upstreamFailure: { readonly code: string; readonly message: string } | null;
}

interface Side {
  readonly client: UpstreamClient;
  readonly ids: ProbeIds;
  /** Connects a bank for the created customer, where that can be automated. */
  readonly connect: ((customerId: string) => Promise<string | undefined>) | null;
}

const ENTITY_HINT = 'needs a connected entity: pass --customer-id and --entity-id (a customer who linked a bank through the LinkSDK)';

/**
 * Sends the probe set to the upstream and to a fresh in-process lean-mock, through the same
 * client code, and compares each pair of replies: status class, then shape (keys and JSON types).
 */
export async function runDrift(options: DriftOptions): Promise<DriftReport> {
  const mock = await startLeanMock({ seed: options.seed ?? 1, adminPort: 0 });
  const appUserId = `lean-mock-drift-${randomUUID()}`;
  const upstreamClient = createUpstreamClient({ url: options.upstream, identity: options.identity, credentials: options.credentials, tokenUrl: options.tokenUrl });
  const mockClient = mockClientOf(mock);
  try {
    const upstream: Side = {
      client: upstreamClient,
      ids: { appUserId, ...(options.existing ? { entityCustomer: options.existing.customerId, entity: options.existing.entityId } : {}) },
      connect: options.existing ? null : options.upstreamAdmin ? connectVia(options.upstreamAdmin) : null,
    };
    const local: Side = { client: mockClient, ids: { appUserId }, connect: connectVia(mock.adminUrl!) };
    const rows: DriftRow[] = [];
    let upstreamFailure: DriftReport['upstreamFailure'] = null;
    for (const probe of PROBES) {
      const row = await runProbe(probe, upstream, local);
      if (row.failure && !upstreamFailure) upstreamFailure = { code: row.failure.code, message: row.failure.message };
      rows.push(row.row);
      if (probe.name === 'customers.create') await Promise.all([upstream, local].map(connectEntity));
    }
    const count = (verdict: DriftVerdict): number => rows.filter((row) => row.verdict === verdict).length;
    return {
      upstream: upstreamClient.url.origin,
      rows,
      summary: { probes: rows.length, same: count('same'), drifted: count('drift'), skipped: count('skipped'), failed: count('failed') },
      upstreamFailure,
    };
  } finally {
    upstreamClient.close();
    mockClient.close();
    await mock.close();
  }
}

async function connectEntity(side: Side): Promise<void> {
  if (!side.connect || !side.ids.customer || side.ids.entity) return;
  const entity = await side.connect(side.ids.customer);
  if (entity) Object.assign(side.ids, { entity, entityCustomer: side.ids.customer });
}

async function runProbe(probe: Probe, upstream: Side, local: Side): Promise<{ row: DriftRow; failure?: UpstreamFailure }> {
  const base = { probe: probe.name, route: probe.route, differences: [] };
  const missing = (side: Side) => probe.needs.find((need) => idOf(side.ids, need) === undefined);
  const upstreamMissing = missing(upstream);
  if (upstreamMissing) {
    const note = upstreamMissing === 'entity' || upstreamMissing === 'account' ? ENTITY_HINT : `needs a ${upstreamMissing} id, which an earlier probe did not produce`;
    return { row: { ...base, verdict: 'skipped', upstream: null, mock: null, note } };
  }
  const localMissing = missing(local);
  if (localMissing) return { row: { ...base, verdict: 'failed', upstream: null, mock: null, note: `the mock produced no ${localMissing} id` } };

  const [theirs, ours] = await Promise.all([ask(upstream, probe), ask(local, probe)]);
  if (theirs instanceof UpstreamFailure || ours instanceof UpstreamFailure) {
    const failure = theirs instanceof UpstreamFailure ? theirs : (ours as UpstreamFailure);
    const who = theirs instanceof UpstreamFailure ? 'the upstream' : 'the mock';
    return {
      row: { ...base, verdict: 'failed', upstream: statusOf(theirs), mock: statusOf(ours), note: `${who} gave no answer: ${failure.message} (${failure.code})` },
      failure: theirs instanceof UpstreamFailure ? theirs : undefined,
    };
  }
  if (statusClass(theirs.status) !== statusClass(ours.status)) {
    return { row: { ...base, verdict: 'drift', upstream: theirs.status, mock: ours.status, note: `status ${statusClass(theirs.status)} upstream, ${statusClass(ours.status)} on the mock` } };
  }
  const differences = compareShapes(shapeOf(theirs.json), shapeOf(ours.json));
  return { row: { ...base, verdict: differences.length ? 'drift' : 'same', upstream: theirs.status, mock: ours.status, differences } };
}

function statusOf(reply: { status: number } | UpstreamFailure): number | null {
  return reply instanceof UpstreamFailure ? null : reply.status;
}

async function ask(side: Side, probe: Probe): Promise<{ status: number; json: unknown } | UpstreamFailure> {
  const request = probe.request(side.ids as Required<ProbeIds>);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(request.body));
  try {
    const reply = await side.client.send({
      method: request.method,
      target: request.target,
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const json = parseJson(reply.body);
    if (reply.status >= 200 && reply.status < 300) probe.capture?.(json, side.ids);
    return { status: reply.status, json };
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
}

function idOf(ids: ProbeIds, need: Probe['needs'][number]): string | undefined {
  return need === 'entity' ? (ids.entity && ids.entityCustomer ? ids.entity : undefined) : ids[need];
}

/** The body as JSON; text that is not JSON counts as a string, an empty body as null (Lean's bare 401). */
function parseJson(body: Buffer): unknown {
  if (body.length === 0) return null;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function mockClientOf(mock: LeanMock): UpstreamClient {
  const app = mock.pki.apps[0]!;
  return createUpstreamClient({
    url: mock.url,
    identity: { cert: app.credential.certificatePem, key: app.credential.privateKeyPem, ca: mock.pki.chainPem },
    credentials: { kind: 'app_token', appToken: app.appToken },
  });
}

/** A lean-mock's admin API connects a bank for a customer, as the LinkSDK would. */
function connectVia(adminUrl: string): (customerId: string) => Promise<string | undefined> {
  return async (customerId) => {
    const reply = await fetch(new URL(`/admin/v1/customers/${encodeURIComponent(customerId)}/entities`, adminUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const json = (await reply.json().catch(() => null)) as { id?: unknown } | null;
    return reply.ok && typeof json?.id === 'string' ? json.id : undefined;
  };
}
