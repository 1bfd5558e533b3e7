import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';
import { loadRecordings, type RecordedExample, type Recording } from './recordings.js';
import { replay, type Replayed, type Vars } from './replay.js';
import { exclusion } from './routes.js';
import { missingFrom, shapeOf } from './shapes.js';

/**
 * Shape conformance: every example reply Lean recorded for a route lean-mock serves, replayed
 * with our own ids (a customer, an entity connected through the admin API, its accounts, a
 * refresh, a result, a destination, an intent, a payment, a payment source). Our reply must have
 * the recorded status class and at least the recorded keys, recursively (merged over every
 * element of every array, so each of our transactions must carry every key any of Lean's did),
 * with the same JSON type wherever both are non-null. A recorded error is reproduced by a
 * request that provokes it (PROVOKE). Routes not served yet are listed in routes.ts with the
 * issue that brings them, and counted, not replayed.
 */

/** Where we differ from Lean on purpose. Each entry: the recording, the problem path, and why. */
const DELIBERATE: readonly { file: RegExp; path: RegExp; why: string }[] = [
  {
    file: /transactions/,
    path: /currency_exchange: Lean sends object, we only null/,
    why: 'the sandbox books every amount in the account currency, so no transaction has an exchange to describe',
  },
  {
    file: /cash-balances/,
    path: /spike_transactions\[\]: Lean sends items, ours are always empty/,
    why: "a spike is a month over 1.5x the average month's spending (README, Insights); the seeded year has none",
  },
];

/**
 * Known gaps not closed yet, each with who closes it: replies left out of the walk (counted in
 * the summary). Delete an entry to hold the mock to it.
 */
const GAPS: readonly { file: RegExp; example?: RegExp; why: string }[] = [
  { file: /payment-destination\/list-payment-destinations/, why: 'destinations answer swift_code/currency only when set; Lean names them on every destination (not done)' },
  { file: /payment-destination\/create-destination/, why: 'Lean takes a destination without account_number (read from the IBAN); the mock still requires it (not done)' },
  { file: /retrieve-all-entities-for-a-given-data-range/, why: "Lean's example asks up to 2026-05-01, after this walk's pinned day (2026-03-15); the mock refuses a future end_date (test/lean/entities.test.ts covers the range)" },
  { file: /freelancers-verification/, example: /Bad request/, why: "provoked by an identification type only Lean's example body has; test/lean/verifications-recorded.test.ts replays that body" },
  { file: /trigger-a-manual-data-refresh/, example: /Consent expired/, why: 'the sandbox has no consent expiry yet: an expired bank session answers RECONNECT_REQUIRED (200), as data.yml shows' },
];
const gapOf = (recording: Recording, example: RecordedExample) =>
  GAPS.find((gap) => gap.file.test(recording.file) && (!gap.example || gap.example.test(example.name)));

const UNKNOWN_ID = 'f0000000-0000-4000-8000-00000000000f';
const NOW = new Date('2026-03-15T09:30:00.000Z');
const BANK_OF: Record<Recording['region'], string | undefined> = { UAE: undefined, KSA: 'LEA1_SAMAOB_SAU' };

type Ctx = { mock: TestMock; region: Recording['region']; vars: Vars };

let mock: TestMock;
const worlds = new Map<Recording['region'], Vars>();

async function admin(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${mock.adminUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function lean(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const headers = { ...mock.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const response = await mock.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function connect(customerId: string, region: Recording['region']): Promise<string> {
  const bank = BANK_OF[region];
  const entity = await admin(`/admin/v1/customers/${customerId}/entities`, bank ? { bank_identifier: bank } : {});
  return String(entity.id ?? entity.entity_id);
}

/** Our sandbox's counterpart of every Postman variable Lean's collection uses, for one region. */
async function buildWorld(region: Recording['region']): Promise<Vars> {
  const appUserId = `conformance-${region.toLowerCase()}`;
  const customer = await lean('POST', '/customers/v1', { app_user_id: appUserId });
  const customerId = String(customer.customer_id);
  const vars: Vars = {
    client_id: mock.clientId,
    client_secret: mock.clientSecret,
    app_user_id: appUserId,
    customer_id: customerId,
    iban: 'AE070331234567890123456',
    emirates_id: '784-1990-1234567-1',
    payment_amount: 125.5,
    payment_description: 'conformance payment',
    payment_reference: 'CONF-1',
  };
  if (KSA_WITHOUT_BANK(region)) return vars;
  vars.entity_id = await connect(customerId, region);
  const accounts = await lean('GET', `/data/v2/accounts?entity_id=${vars.entity_id}`);
  const ids = ((accounts.data as { accounts: { account_id: string }[] }).accounts).map((a) => a.account_id);
  vars.account_id = ids[0]!;
  vars.account_ids = ids.join(',');
  vars.refresh_id = String((await lean('POST', '/data/v2/refreshes', { entity_id: vars.entity_id })).refresh_id);
  const ready = new Promise<void>((resolve) => {
    const onEvent = (event: { type: string }) => {
      if (event.type !== 'results.ready') return;
      mock.lean.store.off('event', onEvent);
      resolve();
    };
    mock.lean.store.on('event', onEvent);
  });
  vars.results_id = String((await lean('GET', `/data/v2/accounts?entity_id=${vars.entity_id}&async=true`)).results_id);
  await ready;
  if (region === 'UAE') {
    const destination = await lean('POST', '/payments/v1/destinations', {
      name: 'John Doe', display_name: 'John Doe', iban: vars.iban, account_number: '1234567890123456', address: 'Sheikh Zayed Road', city: 'Dubai', country: 'ARE',
    });
    vars.destination_id = String(destination.id);
    vars.payment_destination_id = vars.destination_id;
    const intent = await lean('POST', '/payments/v1/intents', { customer_id: customerId, amount: 125.5, currency: 'AED', payment_destination_id: vars.destination_id });
    vars.intent_id = String(intent.payment_intent_id);
    vars.payment_id = String((await admin(`/admin/v1/payment-intents/${vars.intent_id}/payments`)).id);
    const source = await admin(`/admin/v1/customers/${customerId}/payment-sources`);
    vars.payment_source_id = String(source.id);
    Object.assign(vars, await payoutsWorld(customerId, (source.accounts as { account_id: string }[])[0]!.account_id));
    // An authorised consent, so lists and details carry the consented account Lean's example shows.
    const consent = await lean('POST', '/consents/account-on-file', {
      customer_id: customerId, destination_account_id: vars.destination_id, currency: 'AED', reference: 'CONF-AOF', purpose: 'FIS',
      control_parameters: { period_type: 'Month', max_individual_amount: 5000, max_cumulative_amount_per_period: 500 },
    });
    vars.consent_id = String(consent.id);
    await admin(`/admin/v1/consents/${vars.consent_id}/authorise`);
  }
  return vars;
}

/** A payout the bank accepted and a refund of an accepted payment, so Lean's lists have items to compare. */
async function payoutsWorld(customerId: string, accountId: string): Promise<Vars> {
  const destinations = (await lean('POST', '/payouts/v1/payment/destinations', [
    { name: 'Santiago Keebler', display_name: 'ABC CORP', iban: 'AE680030012312312312123', account_number: '12312312312123', address: 'Dubai', city: 'Dubai', country: 'ARE' },
  ])) as unknown as { destination_id: string }[];
  const destinationId = destinations[0]!.destination_id;
  const created = await lean('POST', '/payouts/v1/payment', {
    payment_details: [{ account_id: accountId, currency: 'AED', destination_details: [{ payment_destination_id: destinationId, amount: 16, authorize_payment: true }] }],
  });
  const payoutIntentId = (created.payouts_payment_details as { payment_intent_id: string }[])[0]!.payment_intent_id;
  const payoutId = String(((await lean('GET', `/payouts/v1/intents/${payoutIntentId}`)).payment as { id: string }).id);
  await admin(`/admin/v1/payouts/${payoutId}/advance`, { status: 'ACCEPTED_BY_BANK' });
  const refunds = (await lean('POST', '/payouts/refunds', [{ payment_id: await acceptedPayment(customerId), amount: 35, currency: 'AED', reason_code: 'DUPLICATED_PAYMENT' }])) as unknown as { refund_id: string }[];
  // Lean's list example asks for APPROVED refunds.
  await lean('PUT', '/payouts/refunds', [{ refund_id: refunds[0]!.refund_id, status: 'APPROVED' }]);
  return { payout_account_id: accountId, payout_destination_id: destinationId, payout_id: payoutId, payout_intent_id: payoutIntentId };
}

/** A customer's payment the bank accepted: what Lean refunds. */
async function acceptedPayment(customerId: string): Promise<string> {
  const intent = await lean('POST', '/payments/v1/intents', { customer_id: customerId, amount: 125.5, currency: 'AED' });
  const paymentId = String((await admin(`/admin/v1/payment-intents/${String(intent.payment_intent_id)}/payments`)).id);
  await admin(`/admin/v1/payments/${paymentId}/advance`, { status: 'ACCEPTED_BY_BANK' });
  return paymentId;
}

/**
 * Ids Lean's collection writes out literally in a request body, and the variable of ours that
 * stands in for each (replaced before the body's {{variables}} are).
 */
const LITERAL_IDS: Readonly<Record<string, string>> = {
  '2652e3ac-3f34-48c2-b1ae-ed81e30c6601': 'payout_account_id',
  '8a7472ab-0e7d-4c3a-a1a6-b3206d033953': 'payout_destination_id',
};

function withOurIds(body: unknown): unknown {
  if (body === null || body === undefined) return body;
  const swap = (text: string) => Object.entries(LITERAL_IDS).reduce((out, [literal, name]) => out.replaceAll(literal, `{{${name}}}`), text);
  return typeof body === 'string' ? swap(body) : (JSON.parse(swap(JSON.stringify(body))) as unknown);
}

/** KSA customers exist today; KSA entities only once a KSA bank connects (routes.ts). */
const KSA_WITHOUT_BANK = (region: Recording['region']) => region === 'KSA' && exclusion('GET /data/v2/accounts', 'KSA') !== null;

/** Requests that need state of their own, so replaying them does not disturb the others. */
const FRESH: Record<string, (ctx: Ctx) => Promise<Vars>> = {
  'POST /customers/v1': async () => ({ app_user_id: `conformance-new-${Math.random().toString(36).slice(2)}` }),
  'POST /data/v2/refreshes': async ({ vars, region }) => ({ entity_id: await connect(String(vars.customer_id), region) }),
  'DELETE /customers/v1/{customer_id}/payment-sources/{payment_source_id}': async ({ vars }) => ({
    payment_source_id: String((await admin(`/admin/v1/customers/${vars.customer_id}/payment-sources`)).id),
  }),
  // Lean's payout collection names its payout `payment_id`, as the payments collection names a payment.
  'GET /payouts/v1/{payment_id}': async ({ vars }) => ({ payment_id: vars.payout_id! }),
  'GET /payouts/v1/payments/{payment_id}/history': async ({ vars }) => ({ payment_id: vars.payout_id! }),
  'GET /payouts/v1/intents/{payment_intent_id}': async ({ vars }) => ({ payment_intent_id: vars.payout_intent_id! }),
  // Each refund needs a payment with room left, each approval a refund still CREATED.
  'POST /payouts/refunds': async ({ vars }) => ({ payment_id: await acceptedPayment(String(vars.customer_id)) }),
  'PUT /payouts/refunds': async ({ vars }) => {
    const payment_id = await acceptedPayment(String(vars.customer_id));
    const created = (await lean('POST', '/payouts/refunds', [{ payment_id, amount: 10, currency: 'AED', reason_code: 'CUSTOMER_REQUEST' }])) as unknown as { refund_id: string }[];
    return { refund_id: created[0]!.refund_id };
  },
};

/** How to make our mock answer the error Lean recorded, by its `status`. Returns a cleanup, if any. */
const PROVOKE: Record<string, (ctx: Ctx, recording: Recording) => Promise<{ vars: Vars; undo?: () => void }>> = {
  // The malformed id Lean's own example quotes (one character short of a UUID).
  INVALID_PARAMETERS: async () => ({ vars: { entity_id: 'e34d8e49-9af2-4252-a53e-bd2df855134' } }),
  UNKNOWN_ENTITY: async () => ({ vars: { entity_id: UNKNOWN_ID } }),
  UNKNOWN_ACCOUNT: async () => ({ vars: { account_id: UNKNOWN_ID } }),
  UNKNOWN_RESULTS_ID: async () => ({ vars: { results_id: UNKNOWN_ID } }),
  INTERNAL_SERVER_ERROR: async (_ctx, recording) => ({
    vars: {},
    undo: mock.use({ method: recording.method as 'GET', path: recording.route.slice(recording.route.indexOf(' ') + 1).replace(/\{\w+\}/g, '*'), status: 500 }),
  }),
  // Lean's example body names the test account its sandbox answers 404 for: it is replayed as is.
  DATA_NOT_FOUND: async () => ({ vars: {} }),
  CONSENT_EXPIRED: async ({ vars, region }) => {
    const entityId = await connect(String(vars.customer_id), region);
    await admin(`/admin/v1/entities/${entityId}/expire-session`);
    return { vars: { entity_id: entityId } };
  },
  DUPLICATED_REQUEST: async ({ vars, region }) => {
    const entityId = await connect(String(vars.customer_id), region);
    await lean('POST', '/data/v2/refreshes', { entity_id: entityId });
    return { vars: { entity_id: entityId } };
  },
  CUSTOMER_ALREADY_EXISTS: async () => ({ vars: {} }),
};

const statusClass = (code: number) => Math.floor(code / 100);
const recordedStatus = (example: RecordedExample): string | undefined =>
  example.body !== null && typeof example.body === 'object' && 'status' in example.body ? String((example.body as { status: unknown }).status) : undefined;

function jwtPayload(body: unknown): unknown {
  const token = (body as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string') return undefined;
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
}

/**
 * The body to send: an example that records a body of its own (verifications: one test account per
 * outcome) is replayed with it; an error we provoke ourselves keeps the request's own body.
 */
function bodyFor(recording: Recording, example: RecordedExample, provokedByUs: boolean): unknown {
  return withOurIds(provokedByUs ? recording.request_body : (example.request_body ?? recording.request_body));
}

/** Our replies to one recorded example: one per account where the route names an account (their shapes merge). */
async function ourReplies(recording: Recording, example: RecordedExample, region: Recording['region']): Promise<Replayed[]> {
  const world = worlds.get(region)!;
  const ctx: Ctx = { mock, region, vars: world };
  const fresh = FRESH[recording.route];
  const isError = example.code !== null && example.code >= 300;
  const provoke = isError ? PROVOKE[recordedStatus(example) ?? ''] : undefined;
  if (isError && !provoke) throw new Error(`no way to provoke ${recordedStatus(example)} (${example.code}): add one to PROVOKE`);
  const setup = provoke ? await provoke(ctx, recording) : { vars: fresh && !isError ? await fresh(ctx) : {} };
  try {
    const vars = { ...world, ...setup.vars };
    const perAccount = recording.route.includes('{account_id}') && setup.vars.account_id === undefined;
    const accounts = perAccount ? String(world.account_ids).split(',') : [vars.account_id];
    const replies: Replayed[] = [];
    for (const accountId of accounts) replies.push(await replay(mock, recording, { ...vars, ...(accountId === undefined ? {} : { account_id: accountId }) }, bodyFor(recording, example, isError && provoke !== PROVOKE.DATA_NOT_FOUND)));
    return replies;
  } finally {
    setup.undo?.();
  }
}

const recordings = loadRecordings();
const walked = recordings.filter((recording) => exclusion(recording.route, recording.region) === null);
const cases = walked.flatMap((recording) =>
  recording.recorded
    .filter((example) => example.body !== null) // nothing recorded to compare with
    .filter((example) => gapOf(recording, example) === undefined)
    .map((example) => ({ recording, example, title: `${recording.file} › ${example.name} (${example.code ?? 'no code'})` })),
);

beforeAll(async () => {
  mock = await startTestMock({ seed: 1, asOf: '2026-03-15', clock: () => NOW });
  for (const region of ['UAE', 'KSA'] as const) worlds.set(region, await buildWorld(region));
}, 60_000);

afterAll(async () => {
  const left = recordings.filter((recording) => !walked.includes(recording));
  const reasons = new Map<string, number>();
  for (const recording of left) {
    const reason = exclusion(recording.route, recording.region)!;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const gaps = walked.flatMap((recording) => recording.recorded.filter((example) => example.body !== null && gapOf(recording, example)).map((example) => gapOf(recording, example)!.why));
  console.log(
    `shape conformance: ${cases.length} recorded replies of ${walked.length} recordings replayed; ${left.length} recordings not walked:\n` +
      [...reasons].map(([reason, count]) => `  ${count} × ${reason}`).join('\n') +
      `\n${gaps.length} recorded replies held back as known gaps:\n` +
      [...new Set(gaps)].map((why) => `  ${gaps.filter((g) => g === why).length} × ${why}`).join('\n'),
  );
  await mock?.close();
});

describe("Lean's recorded replies, replayed against lean-mock", () => {
  it('accounts for every recording: walked, or left out with a reason', () => {
    expect(recordings.length).toBeGreaterThan(100);
    for (const recording of recordings) expect(exclusion(recording.route, recording.region) ?? 'walked', recording.file).not.toBe('');
    expect(cases.length).toBeGreaterThan(50);
  });

  for (const { recording, example, title } of cases) {
    it(title, async () => {
      const replies = await ourReplies(recording, example, recording.region);
      const expectedClass = example.code === null ? 2 : statusClass(example.code);
      for (const reply of replies) expect({ status: statusClass(reply.status), body: reply.json }).toMatchObject({ status: expectedClass });
      if (example.code !== null && example.code >= 300) {
        for (const reply of replies) expect((reply.json as { status?: unknown }).status).toBe(recordedStatus(example));
        // Lean puts no help in `metadata` (null in every error it recorded): ours goes in the message.
        const leanMetadata = (example.body as { metadata?: unknown }).metadata;
        if (leanMetadata === null) for (const reply of replies) expect((reply.json as { metadata?: unknown }).metadata).toBeNull();
      }
      const problems = missingFrom(shapeOf(example.body), shapeOf(...replies.map((reply) => reply.json)));
      const token = jwtPayload(example.body);
      if (token !== undefined) {
        problems.push(...missingFrom(shapeOf(token), shapeOf(...replies.map((reply) => jwtPayload(reply.json)))).map((problem) => `jwt ${problem}`));
      }
      const unexplained = problems.filter((problem) => !DELIBERATE.some((d) => d.file.test(recording.file) && d.path.test(problem)));
      if (process.env.SHAPES_DEBUG && unexplained.length) console.log('@@', title, '\n' + unexplained.join('\n'));
      expect(unexplained.join('\n')).toBe('');
    });
  }
});
