import { LeanError } from '../app/errors.js';

/**
 * How much the sandbox keeps, so traffic cannot grow the process without bound. Each is far above
 * what a test suite creates between two resets: reaching one means a loop gone wrong.
 */
export const SANDBOX_LIMITS = {
  /** Customers per app (created through `POST /customers/v1`); past it the create is refused. */
  customersPerApp: 10_000,
  /** Connected entities per app (each brings its generated accounts and transactions); past it connecting is refused. */
  entitiesPerApp: 1_000,
  /** Held `async=true` results, all apps together; past it the oldest is forgotten (its id answers UNKNOWN_RESULTS_ID). */
  heldResults: 10_000,
  /** Data refreshes, all apps together; past it the oldest finished one is forgotten. */
  refreshes: 10_000,
} as const;

/** The refusal for a create past a cap: what a client sees instead of the process growing. */
export function sandboxLimitReached(what: 'customers' | 'entities', limit: number): LeanError {
  return new LeanError(
    'SANDBOX_LIMIT_REACHED',
    403,
    `lean-mock keeps at most ${limit} ${what} per app; reset the sandbox (POST /admin/v1/reset) to make room.`,
    { limit },
  );
}
