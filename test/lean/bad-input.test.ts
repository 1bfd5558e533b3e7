import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBanksRouter, loadBanks } from '../../src/lean/banks.js';
import { createConsentsRouter } from '../../src/lean/consents/router.js';
import { createCustomersRouter } from '../../src/lean/customers/router.js';
import { createDataRouters } from '../../src/lean/data/index.js';
import { createEntitiesRouter } from '../../src/lean/entities/router.js';
import { createEventsRouter } from '../../src/lean/events.js';
import { createInsightsRouter } from '../../src/lean/insights/router.js';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { createPayoutsRouter } from '../../src/lean/payouts/router.js';
import { createVerificationsRouter } from '../../src/lean/verifications/router.js';
import { createEventLog } from '../../src/sandbox/events/log.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { SandboxStore } from '../../src/sandbox/store/store.js';
import { realIds, startSandbox, type Ids, type Sandbox } from '../support/fuzz-sandbox.js';
import { hostileDraft, sweepDrafts } from '../support/hostile-input.js';
import { FULL_FUZZ } from '../support/fuzz-runs.js';
import { RAW_BODIES } from '../support/hostile-values.js';
import { Referee } from '../support/referee.js';
import { bodyObject, enc, render, validDraft, type Fuzz } from '../support/request-draft.js';
import { ROUTES, pathsWithMethods, routeName, type Field, type IdKind, type Route } from '../support/route-table.js';
import { SANDBOX_NOW } from '../support/sandbox-app.js';

/**
 * "Bad input never produces 5xx": a seeded fuzzer throws malformed and wrong-typed path ids,
 * query strings and JSON bodies at every route of the sandbox, as the real app mounts them,
 * and holds each reply to three rules — never 5xx; every 4xx is Lean's error envelope; a 4xx
 * leaves the store byte for byte as it was (`store.snapshot()`). Another app's real ids must
 * answer exactly like unknown ones. Replay a failure with `LEAN_FUZZ_SEED=<seed>`.
 *
 * The machinery lives in test/support: the sandbox and its raw HTTP client (fuzz-sandbox.ts),
 * valid requests (request-draft.ts), what breaks them (hostile-values.ts, hostile-input.ts) and
 * the rules each reply is held to, with the store watch (referee.ts).
 */

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? 20_260_315);
const VARIANTS = ROUTES.reduce((sum, route) => sum + variantsFor(route), 0);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The routes the mounted routers declare (express's own route table), as `METHOD /path`. */
function declaredRoutes(routers: Router[]): Set<string> {
  const declared = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
      if (!route) continue;
      for (const method of Object.keys(route.methods)) if (method !== '_all') declared.add(`${method.toUpperCase()} ${route.path}`);
    }
  }
  return declared;
}

function fuzzFor(label: string, mine: Ids, theirs: Ids): Fuzz {
  const r = seededRandom(SEED).fork(label);
  let fresh = 0;
  return { r, mine, theirs, unknown: () => r.uuid(), fresh: () => `fuzz-${label.length}-${++fresh}-${r.int(0, 1e9)}` };
}

const masked = (body: unknown): unknown => {
  if (body === undefined) return undefined;
  const { status, message, metadata } = body as { status: string; message: string; metadata: unknown };
  return { status, message: message.replace(UUID, '<id>'), metadata: JSON.stringify(metadata).replace(UUID, '<id>') };
};

describe('bad input at every Lean route', () => {
  it('the route table lists every route the routers declare', () => {
    const store = new SandboxStore({ seed: 1, apps: ['my_app'], clock: () => SANDBOX_NOW });
    const routers = [
      createBanksRouter({ banks: loadBanks() }),
      createEntitiesRouter({ store }),
      createCustomersRouter({ store }),
      createConsentsRouter({ store }),
      createPaymentsRouter({ store }),
      createPayoutsRouter({ store }),
      ...createDataRouters({ store }),
      createVerificationsRouter({ store }),
      createInsightsRouter({ store, resultDelayMs: 0 }),
      createEventsRouter({ log: createEventLog({ store }) }),
    ];
    expect(new Set(ROUTES.map(routeName))).toEqual(declaredRoutes(routers));
  });

  describe('on a freshly seeded sandbox', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ seed: SEED });
    });
    afterAll(() => sandbox.close());

    it('unknown ids and malformed input answer 4xx and change nothing, before any record of a kind exists', async () => {
      const mine = await realIds(sandbox, 'my_app', false);
      const theirs = await realIds(sandbox, 'other_app', false);
      const referee = new Referee(sandbox);
      // Look-ups by id first: nothing has yet made a collection of intents, payments, results… exist.
      const byId = [...ROUTES].sort((a, b) => Number(!a.params) - Number(!b.params));
      const drafts = byId.flatMap((route) => {
        const fuzz = fuzzFor(`pristine ${routeName(route)}`, mine, theirs);
        return sweepDrafts(route, fuzz, 'ids').map((draft) => ({ route, draft }));
      });
      for (const route of ROUTES) {
        const fuzz = fuzzFor(`pristine hostile ${routeName(route)}`, mine, theirs);
        drafts.push({ route, draft: hostileDraft(route, fuzz) }, { route, draft: hostileDraft(route, fuzz) });
      }
      for (const { route, draft } of drafts) {
        const { status } = await referee.play(routeName(route), render(draft));
        // A full comparison after every 4xx: here nothing may hide in a window of several.
        if (status >= 400) referee.guard.verify();
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });
  });

  describe('on a sandbox with records of every kind in both apps', () => {
    let sandbox: Sandbox;
    let mine: Ids;
    let theirs: Ids;
    beforeAll(async () => {
      sandbox = await startSandbox({ seed: SEED });
      mine = await realIds(sandbox, 'my_app', true);
      theirs = await realIds(sandbox, 'other_app', true);
    });
    afterAll(() => sandbox.close());

    it('answers another app’s real ids exactly as unknown ones', async () => {
      const referee = new Referee(sandbox);
      for (const route of ROUTES.filter((r) => !r.destructive)) {
        const fuzz = fuzzFor(`foreign ${routeName(route)}`, mine, theirs);
        for (const slot of idSlots(route)) {
          const answers = [];
          for (const [whose, id] of [['unknown', fuzz.unknown()], ['other_app’s', theirs[slot.kind]]] as const) {
            const draft = validDraft(route, fuzz);
            if (slot.where === 'path') draft.params.set(slot.name, enc(id));
            if (slot.where === 'query') draft.query = [...draft.query.filter(([k]) => k !== slot.name), [slot.name, enc(id)]];
            if (slot.where === 'body') bodyObject(draft)![slot.name] = id;
            draft.notes.push(`${slot.where} ${slot.name}=${whose} ${id}`);
            const { status, body } = await referee.play(routeName(route), render(draft));
            answers.push({ status, body: masked(body) });
          }
          const [unknown, foreign] = answers;
          const what = `${routeName(route)} with ${slot.where} ${slot.name}`;
          if (JSON.stringify(foreign) !== JSON.stringify(unknown)) {
            referee.problems.add(what, `${what}: other_app's id answered ${JSON.stringify(foreign)}, an unknown one ${JSON.stringify(unknown)}`);
          }
          if (slot.where === 'path' && unknown!.status !== 404) referee.problems.add(what, `${what}: an unknown id answered ${unknown!.status}, not 404`);
        }
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });

    it('answers every other method on a route’s path with INVALID_HTTP_METHOD, reading no body', async () => {
      const referee = new Referee(sandbox);
      const fuzz = fuzzFor('methods', mine, theirs);
      for (const [path, served] of pathsWithMethods()) {
        const route = ROUTES.find((r) => r.path === path)!;
        for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].filter((m) => !served.has(m as never))) {
          const draft = validDraft(route, fuzz);
          draft.method = method;
          draft.body = { type: 'raw', text: fuzz.r.pick(RAW_BODIES) };
          draft.headers['content-type'] = 'application/json';
          draft.notes.push(`${method} instead of ${[...served].join('/')}`);
          const { status, body } = await referee.play(`${method} ${path}`, render(draft));
          const lean = (body as { status?: string } | undefined)?.status;
          if (status !== 405 || lean !== 'INVALID_HTTP_METHOD') referee.problems.add(`${method} ${path}`, `${method} ${path} answered ${status} ${lean ?? ''}, not 405 INVALID_HTTP_METHOD`);
        }
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });

    it('refuses a key the data API does not document in its bodies, even one named like an Object.prototype member', async () => {
      const referee = new Referee(sandbox);
      // The data API's bodies, which Lean checks key by key (the customers and payments APIs ignore unknown keys).
      const strict = ROUTES.filter((r) => r.method === 'POST' && (r.path.startsWith('/data/') || r.path.startsWith('/v1/')));
      for (const route of strict) {
        for (const key of ['unknown', 'toString', 'constructor', 'hasOwnProperty', '__proto__']) {
          const draft = validDraft(route, fuzzFor(`keys ${routeName(route)}`, mine, theirs));
          draft.body = { type: 'raw', text: `${JSON.stringify(bodyObject(draft)).slice(0, -1)},"${key}":"x"}` };
          draft.notes.push(`body +${key}`);
          const { status, body } = await referee.play(routeName(route), render(draft));
          const { status: lean, message } = (body ?? {}) as { status?: string; message?: string };
          if (status !== 400 || lean !== 'INVALID_PARAMETERS' || !message?.includes(`field: ${key},`)) {
            referee.problems.add(`${routeName(route)} ${key}`, `${routeName(route)} with the undocumented body key "${key}" answered ${status} ${lean ?? ''}, not 400 INVALID_PARAMETERS naming it`);
          }
        }
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });

    // Every route's sweep and its random variants in one test (about 5,800 requests at the full
    // count, 5,300 in the default run): over a minute on a loaded 2-core machine.
    it(`answers hostile path ids, query strings and bodies with Lean 4xx envelopes and leaves the store unchanged (${VARIANTS} random variants after the sweeps)`, async () => {
      const referee = new Referee(sandbox);
      const started = performance.now();
      const ordered = [...ROUTES.filter((r) => !r.destructive), ...ROUTES.filter((r) => r.destructive)];
      for (const route of ordered) {
        const fuzz = fuzzFor(routeName(route), mine, theirs);
        for (const draft of sweepDrafts(route, fuzz)) await referee.play(routeName(route), render(draft));
        for (let i = 0; i < variantsFor(route); i++) await referee.play(routeName(route), render(hostileDraft(route, fuzz)));
        // Last, the valid request itself: each route must be able to succeed, or the fuzz proves little.
        const valid = validDraft(route, fuzz);
        valid.notes.push('valid');
        await referee.play(routeName(route), render(valid));
        referee.guard.verify();
      }
      if (({} as Record<string, unknown>).polluted !== undefined) referee.problems.add('prototype', 'Object.prototype was polluted');

      const report = [...referee.stats]
        .map(([label, s]) => `${String(s.requests).padStart(5)}  ${label}  ${[...s.lean].join(",")} ${[...s.http].sort(([a], [b]) => a - b).map(([h, n]) => `${h}×${n}`).join(' ')}`)
        .join('\n');
      console.info(`bad-input fuzz, seed ${SEED}: ${referee.total} requests in ${Math.round(performance.now() - started)} ms\n${report}`);
      referee.problems.assertNone();

      const missing = ROUTES.flatMap((route) => {
        const seen = referee.stats.get(routeName(route))?.lean ?? new Set<string>();
        const wanted = [...route.mustSee, ...(route.canSucceed === false ? [] : ['2xx'])];
        return wanted.filter((status) => !seen.has(status)).map((status) => `${routeName(route)} never answered ${status}`);
      });
      expect(missing, `seed ${SEED}: the fuzz did not reach every route's validation`).toEqual([]);
      // ~4,700 requests (payouts and refunds included): 56-66 s measured on the shared 2-core machine, over the suite’s 30 s default.

    }, 180_000);
  });
});

/** Where a route takes ids: its path, its query, its body. */
function idSlots(route: Route): { where: 'path' | 'query' | 'body'; name: string; kind: IdKind }[] {
  const ids = (where: 'query' | 'body', fields: Readonly<Record<string, Field>> = {}) =>
    Object.entries(fields).flatMap(([name, f]) => (f.type.kind === 'id' ? [{ where, name, kind: f.type.of }] : []));
  return [...Object.entries(route.params ?? {}).map(([name, kind]) => ({ where: 'path' as const, name, kind })), ...ids('query', route.query), ...ids('body', route.body)];
}

/** Random variants after the sweep: more fields, more ways to combine mistakes (fewer in the default run). */
function variantsFor(route: Route): number {
  const fields = Object.keys(route.params ?? {}).length + Object.keys(route.query ?? {}).length + Object.keys(route.body ?? {}).length;
  return FULL_FUZZ ? Math.min(100, 30 + 5 * fields) : Math.min(45, 30 + 5 * fields);
}
