import type { Router } from 'express';
import type { FastReadRoutes } from '../../app/fast-reads.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { createRefreshesRouter } from './refreshes.js';
import { createResultsRouter } from './results.js';
import { createDataV1Router } from './v1-router.js';
import { createDataV2Router } from './v2-router.js';

export interface DataRoutersOptions {
  store: SandboxStore;
  /** How long an `async=true` result stays PENDING before `results.ready`. Default 100 ms. */
  resultDelayMs?: number;
  /** How long a manual refresh stays PENDING before `entity.data.refresh.updated`. Default 100 ms. */
  refreshDelayMs?: number;
  /** Where v2's pages register to be answered before express (src/app/fast-reads.ts). */
  fast?: FastReadRoutes;
}

export const DEFAULT_DATA_DELAY_MS = 100;

/**
 * The data API's routers (v2, v1, async results, refreshes), to mount behind authentication.
 *
 * @example
 * routers: [createBanksRouter({ banks }), ...createDataRouters({ store })]
 */
export function createDataRouters(options: DataRoutersOptions): Router[] {
  const { store } = options;
  const resultDelayMs = options.resultDelayMs ?? DEFAULT_DATA_DELAY_MS;
  const refreshDelayMs = options.refreshDelayMs ?? DEFAULT_DATA_DELAY_MS;
  return [
    createDataV2Router({ store, resultDelayMs, fast: options.fast }),
    createDataV1Router({ store, resultDelayMs }),
    createResultsRouter({ store }),
    createRefreshesRouter({ store, refreshDelayMs }),
  ];
}

export { createDataV1Router, createDataV2Router, createRefreshesRouter, createResultsRouter };
