/**
 * Opening many keep-alive mTLS connections for the soak, on the bench's own reader
 * (bench/tls-load.ts KeepAliveConnection): the soak adds only batching and a stall limit.
 */
import type { SecureContext } from 'node:tls';
import { KeepAliveConnection } from '../bench/tls-load.js';

/** Longest a reply may take before the connection counts as failed. */
export const STALL_MS = 15_000;

/** Opens `count` connections `batch` at a time, so the listen backlog never overflows. */
export async function openInBatches(
  port: number,
  context: SecureContext,
  count: number,
  batch: number,
): Promise<{ opened: KeepAliveConnection[]; failed: number }> {
  const opened: KeepAliveConnection[] = [];
  let failed = 0;
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const results = await Promise.allSettled(Array.from({ length: size }, () => KeepAliveConnection.open(port, context)));
    for (const result of results) {
      if (result.status === 'fulfilled') opened.push(result.value);
      else failed++;
    }
  }
  return { opened, failed };
}
