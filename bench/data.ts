import { createLeanPki, type LeanPki } from '../src/pki/lean-pki.js';
import type { LeanMock } from '../src/server/lean-mock.js';
import { connectEntity, DEFAULT_BANK_IDENTIFIER, DEMO_APP_USER_ID } from '../src/sandbox/connections.js';
import { COLLECTIONS, type Account, type Customer, type Entity, type Transaction } from '../src/sandbox/store/records.js';
import { insightLatencies } from './insights.js';
import { interleave, summarize, type BenchResult, type BenchSuite, type Target } from './suite.js';
import { clientContext, expressLikeLeanMock, fetchOnce, keepAliveRun, rawGet, RunLog, startBare, withLeanMock, type Endpoint, type Probe } from './tls-load.js';

/**
 * What a page of a year of transactions costs on lean-mock, over keep-alive mTLS: against
 * `GET /banks/v1` on the same instance (the gate and authentication with next to no route work)
 * and against a bare express 5 route answering the same number of bytes, precomputed (the floor).
 * The harness is bench/gateway.ts's (bench/tls-load.ts: raw persistent TLS sockets, one client
 * SecureContext, interleaved rounds), with each reply also checked for its body size.
 */

const APP_NAME = 'my_app';
const PAGE_SIZE = 50;
const CONNECTIONS = 16;
/** Issue 18: the transactions page against the floor serving its bytes (rate at least, p99 at most). */
const TARGET = { rate: 0.8, p99: 2 } as const;

const ROUNDS = {
  full: { seconds: 2, runs: 10, warmup: 1 },
  quick: { seconds: 0.4, runs: 3, warmup: 1 },
} as const;

const TRANSACTIONS_ROUTE = '/data/v2/accounts/:account_id/transactions';
/** The KSA page comes from an entity at Lean's SAMA mock bank, connected to the same demo customer. */
const KSA_BANK = 'LEA1_SAMAOB_SAU';

/**
 * The floor: express 5 with lean-mock's app settings and the transactions route's path, answering
 * a body serialized once up front the way res.json ends (content-type, then res.send of the string),
 * so it differs from lean-mock only in the work lean-mock does per request.
 */
function startFloor(pki: LeanPki, body: string): Promise<Endpoint> {
  const app = expressLikeLeanMock();
  app.set('query parser', 'extended');
  app.get(TRANSACTIONS_ROUTE, (_req, res) => {
    res.set('content-type', 'application/json');
    res.send(body);
  });
  return startBare(pki, app);
}

/** The demo customer's current account at the UAE mock bank, with its entity, found in the store. */
function demoCurrentAccount(mock: LeanMock, bank = DEFAULT_BANK_IDENTIFIER): { entity: Entity; account: Account; transactions: Transaction[] } {
  const { store } = mock;
  const customers = store.collection<Customer>(COLLECTIONS.customers).list(APP_NAME, (c) => c.app_user_id === DEMO_APP_USER_ID);
  const entities = store
    .collection<Entity>(COLLECTIONS.entities)
    .list(APP_NAME, (e) => e.bank_identifier === bank && customers.some((c) => c.customer_id === e.customer_id));
  const entity = entities[0];
  if (entities.length !== 1 || !entity) throw new Error(`expected one demo entity of ${APP_NAME} at ${bank}, found ${entities.length}`);
  const accounts = store
    .collection<Account>(COLLECTIONS.accounts)
    .list(APP_NAME, (a) => a.entity_id === entity.id && a.account_sub_type === 'CURRENT');
  const account = accounts[0];
  if (accounts.length !== 1 || !account) throw new Error(`expected one current account on the demo entity, found ${accounts.length}`);
  const transactions = store.collection<Transaction>(COLLECTIONS.transactions).list(APP_NAME, (t) => t.account_id === account.account_id);
  return { entity, account, transactions };
}

type Server3 = 'tx' | 'ksa' | 'banks' | 'floor';
type TaskName = `ka${Server3}` | `solo${Server3}`;

const LABEL: Record<Server3, string> = {
  tx: 'lean-mock transactions',
  ksa: 'lean-mock KSA transactions',
  banks: 'lean-mock /banks/v1',
  floor: 'bare express 5, same bytes',
};

async function measure(quick: boolean): Promise<BenchResult[]> {
  const settings = ROUNDS[quick ? 'quick' : 'full'];
  const pki = await createLeanPki();
  const app = pki.apps.find((candidate) => candidate.name === APP_NAME);
  if (!app) throw new Error(`the PKI has no app called ${APP_NAME}`);
  const context = clientContext(pki, app);
  const get = (path: string): Buffer => rawGet(path, app.appToken);
  const fetchPath = (port: number, path: string) => fetchOnce(port, pki, app, path);

  return withLeanMock(pki, async (lean, keep) => {
    const { entity, account, transactions } = demoCurrentAccount(lean);
    const demoCustomer = entity.customer_id;
    connectEntity(lean.store, APP_NAME, { customerId: demoCustomer, bankIdentifier: KSA_BANK });
    const ksa = demoCurrentAccount(lean, KSA_BANK);
    const ksaPath = `/data/v2/accounts/${ksa.account.account_id}/transactions?entity_id=${ksa.entity.id}&page=0&size=${PAGE_SIZE}`;
    const ksaReply = await fetchPath(lean.port, ksaPath);
    const ksaJson = JSON.parse(ksaReply.body) as { status?: string; data?: { transactions?: { amount: { currency: string } }[] } };
    if (ksaReply.status !== 200 || ksaJson.status !== 'OK' || ksaJson.data?.transactions?.length !== PAGE_SIZE || ksaJson.data.transactions.some((t) => t.amount.currency !== 'SAR')) {
      throw new Error(`lean-mock answered ${ksaReply.status} ${ksaJson.status ?? ''}, not a page of ${PAGE_SIZE} SAR transactions`);
    }
    const ksaBytes = Buffer.byteLength(ksaReply.body);
    const txPath = `/data/v2/accounts/${account.account_id}/transactions?entity_id=${entity.id}&page=0&size=${PAGE_SIZE}`;
    const days = transactions.map((t) => t.booking_date_time.slice(0, 10)).sort();
    const spanDays = Math.round((Date.parse(days[days.length - 1]!) - Date.parse(days[0]!)) / 86_400_000);

    // Lean-mock's reply, checked, becomes the floor's body. Only results_id (a UUID) and timestamp
    // (ISO) change between replies, both fixed-width, so every right reply has this size.
    const txReply = await fetchPath(lean.port, txPath);
    const txJson = JSON.parse(txReply.body) as { status?: string; type?: string; data?: { transactions?: unknown[]; page?: { total_elements?: number } } };
    if (txReply.status !== 200 || txJson.status !== 'OK' || txJson.type !== 'transactions' || txJson.data?.transactions?.length !== PAGE_SIZE) {
      throw new Error(`lean-mock answered ${txReply.status} ${txJson.status ?? ''}, not a page of ${PAGE_SIZE} transactions`);
    }
    if (txJson.data.page?.total_elements !== transactions.length) {
      throw new Error(`lean-mock's page counts ${txJson.data.page?.total_elements} transactions, the store ${transactions.length}`);
    }
    const txBytes = Buffer.byteLength(txReply.body);
    const banksReply = await fetchPath(lean.port, '/banks/v1');
    if (banksReply.status !== 200 || !Array.isArray(JSON.parse(banksReply.body))) throw new Error(`lean-mock answered ${banksReply.status} to /banks/v1`);
    const banksBytes = Buffer.byteLength(banksReply.body);

    const floor = keep(await startFloor(pki, txReply.body));
    const floorReply = await fetchPath(floor.port, txPath);
    if (floorReply.status !== 200 || floorReply.body !== txReply.body) throw new Error(`the floor answered ${floorReply.status}, not lean-mock's page`);

    const probes: Record<Server3, { port: number; probe: Probe }> = {
      tx: { port: lean.port, probe: { request: get(txPath), bytes: txBytes } },
      ksa: { port: lean.port, probe: { request: get(ksaPath), bytes: ksaBytes } },
      banks: { port: lean.port, probe: { request: get('/banks/v1'), bytes: banksBytes } },
      floor: { port: floor.port, probe: { request: get(txPath), bytes: txBytes } },
    };

    const log = new RunLog<TaskName>(settings.warmup);
    const task = (name: TaskName, server: Server3, connections: number) =>
      log.task(name, () => keepAliveRun(probes[server].port, context, probes[server].probe, settings.seconds, connections));
    // Each group interleaves the three servers round by round, so load drift hits all alike.
    const rates = {
      ...(await interleave(
        {
          katx: task('katx', 'tx', CONNECTIONS),
          kaksa: task('kaksa', 'ksa', CONNECTIONS),
          kabanks: task('kabanks', 'banks', CONNECTIONS),
          kafloor: task('kafloor', 'floor', CONNECTIONS),
        },
        settings,
      )),
      ...(await interleave(
        { solotx: task('solotx', 'tx', 1), soloksa: task('soloksa', 'ksa', 1), solobanks: task('solobanks', 'banks', 1), solofloor: task('solofloor', 'floor', 1) },
        settings,
      )),
    };


    /** The transactions figure twice, once against each baseline (a row carries one), then the two baselines. */
    const rows = (
      group: string,
      samples: (server: Server3) => number[],
      key: (server: Server3) => TaskName,
      unit: 'ms' | 'req/s',
      floorTarget?: Target,
    ): BenchResult[] => {
      const row = (server: Server3, baseline?: Server3): BenchResult =>
        summarize(`${group}: ${LABEL[server]}`, samples(server), {
          unit,
          ...(server === 'tx' && baseline === 'floor' && floorTarget ? { target: floorTarget } : {}),
          errors: log.errors(key(server)),
          ...(baseline ? { baseline: { name: `${group}: ${LABEL[baseline]}`, samples: samples(baseline) } } : {}),
        });
      // The KSA page against the UAE one: what KSA's richer transactions cost.
      return [row('tx', 'floor'), row('tx', 'banks'), row('ksa', 'tx'), row('banks'), row('floor')];
    };

    const results: BenchResult[] = [
      summarize(`reply body: transactions page (${PAGE_SIZE} of ${transactions.length}, ${spanDays} days)`, [txBytes], { unit: 'bytes' }),
      summarize(`reply body: KSA transactions page (${PAGE_SIZE} of ${ksa.transactions.length}, ${KSA_BANK})`, [ksaBytes], { unit: 'bytes' }),
      summarize('reply body: /banks/v1', [banksBytes], { unit: 'bytes' }),
      ...rows(`keep-alive ×${CONNECTIONS}, /s`, (s) => rates[`ka${s}`], (s) => `ka${s}`, 'req/s', { op: '>=', value: TARGET.rate, unit: 'ratio' }),
    ];
    for (const [label, prefix] of [['1 conn', 'solo'], [`${CONNECTIONS} conns`, 'ka']] as const) {
      for (const [q, tag] of [[0.5, 'p50'], [0.99, 'p99']] as const) {
        const target: Target | undefined = tag === 'p99' ? { op: '<=', value: TARGET.p99, unit: 'ratio' } : undefined;
        results.push(...rows(`latency ${tag}, ${label}`, (s) => log.latency(`${prefix}${s}`, q), (s) => `${prefix}${s}`, 'ms', target));
      }
    }
    const insightRounds = { rounds: settings.runs, perRound: quick ? 20 : 60 };
    results.push(...(await insightLatencies(lean, context, { appName: APP_NAME, appToken: app.appToken, entityId: entity.id, txPath, ...insightRounds })));
    return results;
  });
}

export const dataSuite: BenchSuite = {
  name: 'data',
  method:
    `GET /data/v2/accounts/{account_id}/transactions?entity_id=…&page=0&size=${PAGE_SIZE} for the demo customer's current ` +
    `account at ${DEFAULT_BANK_IDENTIFIER} (app ${APP_NAME}, seeded with a year of transactions; entity and account found in ` +
    `mock.store), and the same page for a KSA entity the bench connects to ${KSA_BANK} (SAR, with the transaction details KSA ` +
    `records carry; its row's baseline is the UAE page) on lean-mock (startLeanMock, EC P-256 PKI, admin API off), against two baselines measured in the same rounds: ` +
    `GET /banks/v1 on the same lean-mock instance (gate, Lean headers, journal and app-token authentication with next to no ` +
    `route work: the ratio is what a transactions page costs beyond them) and the floor, express 5 with lean-mock's app ` +
    `settings on https.createServer with the gate's TLS, client-auth and HTTP-limit options, answering the same path with ` +
    `lean-mock's own reply serialized once before timing (same bytes; content-type then res.send, as res.json ends). All on ` +
    `127.0.0.1 ephemeral ports, mTLS with the app certificate (one client SecureContext) and the lean-app-token header, over ` +
    `persistent connections opened untimed, one request in flight each, every reply read whole. Two groups, each interleaving ` +
    `the three in rotating order, ${ROUNDS.full.seconds} s per run: ${CONNECTIONS} connections (throughput and latency) and 1 ` +
    `connection (latency). A reply counts only if it is a 200 of the expected body size (the data API answers reconnect and ` +
    `failure envelopes with 200 too); anything else, or a lost connection, is an error and flags the row. ` +
    `${ROUNDS.full.runs} rounds per group after ${ROUNDS.full.warmup} warm-up (--quick: ${ROUNDS.quick.runs} rounds of ` +
    `${ROUNDS.quick.seconds} s). Rates are medians over rounds, latencies medians of per-round p50/p99, ratios medians of ` +
    `per-round ratios; the transactions row appears once per baseline. The client shares the servers' event loop, so its cost ` +
    `(identical for the transactions page and the floor, smaller for the shorter bank list) is inside every figure. Targets ` +
    `(issue 18, pages served from cached bytes): the transactions page at least ${TARGET.rate}× the floor's keep-alive rate, ` +
    `its p99 at most ${TARGET.p99}× the floor's. Insights (bench/insights.ts): income (POST) and expenses (GET) for the same entity on one ` +
    `keep-alive connection, one request at a time, cached (the same request again) and cold (one transaction rewritten ` +
    `unchanged before each request, so the cache misses as after a data change), interleaved round by round with the ` +
    `transactions page as baseline; medians of per-round p50/p99.`,
  async run({ quick }) {
    return measure(quick);
  },
};
