import { readFileSync } from 'node:fs';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { BANK_ACCOUNT_TYPES, BANK_COUNTRY_CODES, BanksSchema, CONNECTION_TYPES, type Bank } from './bank-schema.js';
import { callerApp } from '../app/context.js';
import { LeanError } from '../app/errors.js';
import type { FastReadRoutes } from '../app/fast-reads.js';
import { methodNotAllowed } from '../app/routing.js';
import { availabilityRevision, bankAvailability } from '../sandbox/availability/availability.js';
import { sameAvailability } from '../sandbox/availability/records.js';
import type { SandboxStore } from '../sandbox/store/store.js';

/**
 * `GET /banks/v1`: the catalogue of banks (Lean's `banks.yml`, schema `Bank`). The list is a
 * fixture; this router filters it and, given the sandbox store, shows each bank's availability as
 * the calling app sees it now. Authentication has already happened upstream.
 */

export {
  BANK_ACCOUNT_SUB_TYPES,
  BANK_ACCOUNT_TYPES,
  BANK_COUNTRY_CODES,
  BankSchema,
  BanksSchema,
  CONNECTION_TYPES,
  type Bank,
  type BankAccountType,
  type BankCountryCode,
} from './bank-schema.js';

const FIXTURE = new URL('../../fixtures/banks.json', import.meta.url);

/** Validates a bank list; throws a readable error naming every problem. */
export function parseBanks(json: unknown, source = 'banks'): Bank[] {
  // Parsed once per process: zod's compiled fast path costs more to generate than it saves here.
  const result = BanksSchema.safeParse(json, { jitless: true });
  if (!result.success) throw new Error(`${source} is malformed:\n${z.prettifyError(result.error)}`);
  return result.data;
}

let loaded: readonly Bank[] | undefined;

/**
 * `fixtures/banks.json`, read and validated on the first call of the process (so a bad fixture
 * fails loudly at the first start) and shared by every mock after it: frozen, so no mock can
 * change another's list.
 */
export function loadBanks(): readonly Bank[] {
  return (loaded ??= deepFreeze(parseBanks(JSON.parse(readFileSync(FIXTURE, 'utf8')), 'fixtures/banks.json')));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * A list-valued query parameter: `a,b`, `a&x=b` and both mixed; case-insensitive. Returns
 * undefined when absent or empty (no filter). An unknown value answers INVALID_PARAMETERS naming
 * the field, as Lean does for a bad key or value.
 */
function listParam<T extends string>(query: Record<string, unknown>, field: string, allowed: readonly T[]): Set<T> | undefined {
  // Plain checks, not zod: this runs three times on every request of the mTLS health check.
  const raw = query[field];
  if (raw === undefined) return undefined;
  const parts = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? raw : undefined;
  // Only reachable with a richer query parser (e.g. `field[a]=b`): still the field's fault.
  if (!parts) throw LeanError.invalidParameter(field, raw);
  const values = new Set<T>();
  for (const token of parts.flatMap((value: string) => value.split(',')).map((value) => value.trim())) {
    if (token === '') continue;
    const upper = token.toUpperCase() as T;
    if (!allowed.includes(upper)) throw LeanError.invalidParameter(field, token);
    values.add(upper);
  }
  return values.size > 0 ? values : undefined;
}

export interface BanksRouterOptions {
  banks: readonly Bank[];
  /** Where toggled availability lives (src/sandbox/availability); without it, the fixture as is. */
  store?: SandboxStore;
  /** Where the unfiltered list registers to be answered before express (src/app/fast-reads.ts). */
  fast?: FastReadRoutes;
}

/** One app's view of the catalogue, kept until a toggle or reset moves the revision. */
interface View {
  revision: number;
  banks: readonly Bank[];
  bytes: Buffer;
}

export function createBanksRouter(options: BanksRouterOptions): Router {
  const { banks, store } = options;
  // The unfiltered list is what every mTLS health check asks for: serialise it once, as bytes, so
  // express does not encode a fresh 10 kB Buffer per request (measured: ~5 MiB of peak RSS).
  const everyBank = Buffer.from(JSON.stringify(banks));
  const fixture: View = { revision: -1, banks, bytes: everyBank };
  // One entry per app at most: the store's apps are fixed at start.
  const views = new Map<string, View>();

  const viewOf = (app: string): View => {
    if (!store || !store.apps.includes(app)) return fixture;
    const revision = availabilityRevision(store);
    const cached = views.get(app);
    if (cached?.revision === revision) return cached;
    const seen = banks.map((bank) => withAvailability(bank, bankAvailability(store, app, bank.identifier)));
    // Nothing toggled for this app: the shared bytes serve it, as before availability existed.
    const untouched = seen.every((bank, index) => bank === banks[index]);
    const view = untouched ? { ...fixture, revision } : { revision, banks: seen, bytes: Buffer.from(JSON.stringify(seen)) };
    views.set(app, view);
    return view;
  };

  const list: RequestHandler = (req, res) => {
    const query = req.query as Record<string, unknown>;
    const accountTypes = listParam(query, 'account_types', BANK_ACCOUNT_TYPES);
    const countryCodes = listParam(query, 'country_codes', BANK_COUNTRY_CODES);
    const connectionTypes = listParam(query, 'connection_types', CONNECTION_TYPES);
    const view = store ? viewOf(callerApp(req)) : fixture;
    if (!accountTypes && !countryCodes && !connectionTypes) {
      res.set('content-type', 'application/json; charset=utf-8').send(view.bytes);
      return;
    }
    res.json(
      view.banks.filter(
        (bank) =>
          (!accountTypes || accountTypes.has(bank.account_type)) &&
          (!countryCodes || countryCodes.has(bank.country_code)) &&
          (!connectionTypes || connectionTypes.has(bank.connection_type)),
      ),
    );
  };

  // The unfiltered list only: a filter goes through `list` above.
  options.fast?.add('/banks/v1', { queryKeys: [], answer: ({ app }) => (store ? viewOf(app) : fixture).bytes });

  const router = Router();
  router.route('/banks/v1').get(list).all(methodNotAllowed);
  return router;
}

/**
 * The bank as an app sees it: the same object when nothing changed. Lean's top-level `active`
 * ("whether the bank is currently operational") follows Lean's own switches: false only when
 * Lean has taken the bank offline for both data and payments.
 */
function withAvailability(bank: Bank, availability: Bank['availability'] | undefined): Bank {
  if (!availability || sameAvailability(availability, bank.availability)) return bank;
  const active = bank.active && (availability.active.data || availability.active.payments);
  return { ...bank, active, availability };
}
