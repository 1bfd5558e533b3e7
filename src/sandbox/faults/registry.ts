import { randomUUID } from 'node:crypto';
import { LeanError } from '../../app/errors.js';
import { systemClock, type Clock } from '../../app/clock.js';
import { compilePathPattern } from './path-pattern.js';
import { parseFaultSpec, type Fault, type FaultSpecInput } from './schemas.js';

export interface FaultRegistryOptions {
  /** The apps a fault may name; when given, any other name is refused (a typo would never match). */
  apps?: readonly string[];
  clock?: Clock;
  /** Default: random UUIDs. */
  newId?: () => string;
}

/** What a fault is matched against: the request as the Lean app sees it after authentication. */
export interface FaultRequest {
  method: string;
  /** The path, normalised by `requestPath`. */
  path: string;
  app: string | null;
}

interface Entry {
  fault: Fault;
  pattern: RegExp;
  /** Consulted only when no other fault matches (a scenario's canned replies: a test's own override wins). */
  fallback: boolean;
}

export const UNKNOWN_FAULT = (): LeanError => new LeanError('UNKNOWN_FAULT', 404, 'No active fault has this id.');

/**
 * The faults waiting for requests, oldest first: the first that matches a request is the one it
 * gets. Each serves its `count` requests and then disappears. `take` is synchronous, so two
 * requests arriving together can never both have the last one.
 */
export class FaultRegistry {
  readonly apps: readonly string[] | null;
  /** Dates the faults and the envelopes they answer with. */
  readonly clock: Clock;
  private readonly newId: () => string;
  private readonly entries = new Map<string, Entry>();

  constructor(options: FaultRegistryOptions = {}) {
    this.apps = options.apps ?? null;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** Validates and arms a fault; throws Lean's INVALID_PARAMETERS / MISSING_PARAMETERS naming the field. */
  add(input: FaultSpecInput, options: { fallback?: boolean } = {}): Fault {
    const spec = parseFaultSpec(input);
    if (spec.match.app !== undefined && this.apps && !this.apps.includes(spec.match.app)) {
      throw LeanError.invalidParameter('match.app', spec.match.app);
    }
    const fault: Fault = {
      id: this.newId(),
      match: { method: spec.match.method ?? null, path: spec.match.path, app: spec.match.app ?? null },
      count: spec.count,
      remaining: spec.count,
      fault: spec.fault,
      created_at: this.clock().toISOString(),
    };
    this.entries.set(fault.id, { fault, pattern: compilePathPattern(fault.match.path), fallback: options.fallback ?? false });
    return copy(fault);
  }

  /** How many faults are armed (scenario overrides included): none means no request is taken over. */
  get size(): number {
    return this.entries.size;
  }

  /** The active faults with what each has left, oldest first. */
  list(): Fault[] {
    return [...this.entries.values()].map((entry) => copy(entry.fault));
  }

  /** The fault removed, or undefined when none has this id. */
  remove(id: string): Fault | undefined {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    return entry && copy(entry.fault);
  }

  /** Removes every fault; answers how many there were. */
  clear(): number {
    const count = this.entries.size;
    this.entries.clear();
    return count;
  }

  /** Uses up one request's worth of the first fault matching `request`, if any, and returns it. */
  take(request: FaultRequest): Fault | undefined {
    return this.takeFrom(request, false) ?? this.takeFrom(request, true);
  }

  private takeFrom(request: FaultRequest, fallbacks: boolean): Fault | undefined {
    for (const [id, { fault, pattern, fallback }] of this.entries) {
      if (fallback !== fallbacks) continue;
      if (fault.match.method !== null && fault.match.method !== request.method) continue;
      if (fault.match.app !== null && fault.match.app !== request.app) continue;
      if (!pattern.test(request.path)) continue;
      if (fault.remaining !== null) {
        fault.remaining -= 1;
        if (fault.remaining === 0) this.entries.delete(id);
      }
      return copy(fault);
    }
    return undefined;
  }
}

function copy(fault: Fault): Fault {
  return structuredClone(fault);
}
