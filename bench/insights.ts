import type { SecureContext } from 'node:tls';
import type { LeanMock } from '../src/server/lean-mock.js';
import { COLLECTIONS, type Transaction } from '../src/sandbox/store/records.js';
import { summarize, type BenchResult } from './suite.js';
import { KeepAliveConnection, percentile, rawGet } from './tls-load.js';

/**
 * Insight latency beside the transactions page, on one keep-alive mTLS connection, one request
 * at a time: income (POST) and expenses (GET) for the demo entity, cached (the same request
 * again) and cold (one transaction record rewritten unchanged before each request, which moves
 * the store's revision and so misses the cache, as a real data change would), each round
 * interleaved with the transactions page so load drift hits all alike.
 */

function rawPost(path: string, appToken: string, body: string): Buffer {
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nlean-app-token: ${appToken}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    'latin1',
  );
}

type Probe = 'tx' | 'incomeCached' | 'incomeCold' | 'expensesCached' | 'expensesCold';

const LABEL: Record<Probe, string> = {
  tx: 'transactions page (50)',
  incomeCached: 'income insight, cached',
  incomeCold: 'income insight, cold',
  expensesCached: 'expenses insight, cached',
  expensesCold: 'expenses insight, cold',
};

export async function insightLatencies(
  lean: LeanMock,
  context: SecureContext,
  options: { appName: string; appToken: string; entityId: string; txPath: string; rounds: number; perRound: number },
): Promise<BenchResult[]> {
  const { appName, appToken, entityId } = options;
  const transactions = lean.store.collection<Transaction>(COLLECTIONS.transactions);
  const someTransaction = transactions.list(appName, (t) => t.entity_id === entityId)[0]!;
  const touch = (): void => void transactions.set(appName, someTransaction.transaction_id, someTransaction);
  const income = rawPost('/insights/v2/income', appToken, JSON.stringify({ entity_id: entityId, income_type: 'ALL' }));
  const expenses = rawGet(`/insights/v2/expenses?entity_id=${entityId}`, appToken);
  const probes: Record<Probe, { request: Buffer; before?: () => void }> = {
    tx: { request: rawGet(options.txPath, appToken) },
    incomeCached: { request: income },
    incomeCold: { request: income, before: touch },
    expensesCached: { request: expenses },
    expensesCold: { request: expenses, before: touch },
  };
  const samples: Record<Probe, { p50: number[]; p99: number[] }> = {
    tx: { p50: [], p99: [] }, incomeCached: { p50: [], p99: [] }, incomeCold: { p50: [], p99: [] }, expensesCached: { p50: [], p99: [] }, expensesCold: { p50: [], p99: [] },
  };
  let errors = 0;
  const connection = await KeepAliveConnection.open(lean.port, context);
  try {
    const names = Object.keys(probes) as Probe[];
    for (let round = 0; round <= options.rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        const { request, before } = probes[name];
        const latencies: number[] = [];
        for (let n = 0; n < options.perRound; n++) {
          before?.();
          const sent = performance.now();
          const reply = await connection.send(request, 10_000);
          if (reply.status !== 200) errors++;
          else latencies.push(performance.now() - sent);
        }
        // Round 0 warms up.
        if (round === 0) continue;
        samples[name].p50.push(percentile(latencies, 0.5));
        samples[name].p99.push(percentile(latencies, 0.99));
      }
    }
  } finally {
    connection.close();
  }
  if (errors > 0) throw new Error(`insight latency: ${errors} replies were not 200`);
  return (['p50', 'p99'] as const).flatMap((q) =>
    (['incomeCached', 'incomeCold', 'expensesCached', 'expensesCold', 'tx'] as const).map((name) =>
      summarize(`latency ${q}, 1 conn, sequential: ${LABEL[name]}`, samples[name][q], {
        unit: 'ms',
        ...(name === 'tx' ? {} : { baseline: { name: `latency ${q}: ${LABEL.tx}`, samples: samples.tx[q] } }),
      }),
    ),
  );
}
