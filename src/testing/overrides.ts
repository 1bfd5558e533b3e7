import { LeanError } from '../app/errors.js';
import type { FaultRegistry } from '../sandbox/faults/registry.js';
import type { FaultSpecInput } from '../sandbox/faults/schemas.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Which requests an override takes. Only authenticated requests reach it, as at Lean's edge. */
export interface OverrideMatch {
  /** Default: any method. */
  method?: HttpMethod;
  /** Exact, or a glob where `*` is any run of characters (`/data/v2/accounts/*`); no query string. */
  path: string;
  /** Only this app's requests (default: every app's). */
  app?: string;
}

/** A canned Lean reply instead of the route. */
export interface CannedResponse extends OverrideMatch {
  /** 200-599; from 400 up Lean's error envelope unless `body` is given, below 400 `body` is required. */
  status: number;
  /** An object (Lean envelopes) or an array (e.g. /banks/v1's bare list). */
  body?: Record<string, unknown> | unknown[];
  /** Answer only after this long. */
  delay_ms?: number;
  reset?: never;
  malformed?: never;
}

/** A network-level failure, or a delay before the route answers normally. */
export type NetworkFault = OverrideMatch & { status?: never; body?: never } & (
    | { delay_ms: number; reset?: never; malformed?: never }
    | { reset: true; delay_ms?: number; malformed?: never }
    | { malformed: true; delay_ms?: number; reset?: never }
  );

/**
 * What `use()` takes, in the spirit of msw's `server.use`.
 *
 * @example
 * mock.use({ method: 'GET', path: '/data/v2/accounts', status: 503 });
 * mock.use({ path: '/customers/v1/*', delay_ms: 2000 }, { path: '/banks/v1', reset: true });
 */
export type Override = CannedResponse | NetworkFault;

interface ActiveOverride {
  readonly override: Override;
  /** Its fault in the registry while armed. */
  faultId: string | null;
}

/**
 * The active overrides, newest first (as msw: the latest `use()` wins), kept as faults in the
 * mock's registry. The registry hands a request to its oldest matching fault, so every change
 * re-arms them all in precedence order.
 */
export class OverrideSet {
  private active: ActiveOverride[] = [];

  constructor(private readonly registry: FaultRegistry) {}

  /** Adds overrides (validated by the registry first, so a bad one arms nothing) and returns their disposer. */
  use(overrides: readonly Override[]): () => void {
    for (const override of overrides) validate(this.registry, override);
    const added = [...overrides].reverse().map((override): ActiveOverride => ({ override, faultId: null }));
    this.active = [...added, ...this.active];
    this.rearm();
    return () => {
      this.disarm();
      this.active = this.active.filter((entry) => !added.includes(entry));
      this.rearm();
    };
  }

  /** Removes every override; faults armed otherwise (the admin API, `mock.lean.faults`) stay. */
  clear(): void {
    this.disarm();
    this.active = [];
  }

  /** Forgets the overrides without touching the registry: for after the registry itself was cleared. */
  forget(): void {
    this.active = [];
  }

  private disarm(): void {
    for (const entry of this.active) {
      if (entry.faultId !== null) this.registry.remove(entry.faultId);
      entry.faultId = null;
    }
  }

  private rearm(): void {
    this.disarm();
    for (const entry of this.active) entry.faultId = this.registry.add(toFaultSpec(entry.override)).id;
  }
}

function toFaultSpec(override: Override): FaultSpecInput {
  const { method, path, app, ...action } = override;
  return {
    match: { path, ...(method !== undefined ? { method } : {}), ...(app !== undefined ? { app } : {}) },
    count: null, // every matching request, until disposed of
    fault: action,
  };
}

/** Arms and disarms once, turning the registry's Lean error into one that names the override. */
function validate(registry: FaultRegistry, override: Override): void {
  try {
    registry.remove(registry.add(toFaultSpec(override)).id);
  } catch (error) {
    // The registry names fields as its admin API nests them (`fault.status`); an override is flat.
    const detail = error instanceof LeanError ? error.message.replace(/field: (?:match|fault)\./, 'field: ') : String(error);
    throw new TypeError(`lean-mock/testing: use(${JSON.stringify(override)}) is not a valid override: ${detail}`);
  }
}
