import type { SeededRandom } from '../../src/sandbox/random.js';
import {
  AMOUNTS, BOOLEANS, CONTENT_ENCODINGS, CONTENT_TYPES, DATES, DATETIMES, HUGE, JSON_ANY, METAS, NUMBERS, QUERY_ANY, RAW_AMOUNTS, RAW_BODIES,
  RAW_PATH_IDS, deep, idNearMisses, pickId,
} from './hostile-values.js';
import { bodyObject, enc, payoutDetails, validDraft, type Draft, type Fuzz } from './request-draft.js';
import type { Field, IdKind, Route } from './route-table.js';

/**
 * Hostile input for a route: near-miss values for each kind of field, the mutations that break a
 * valid request one thing at a time, random combinations of them, and the one-at-a-time sweep.
 */

/** Near-miss query values for a field of this kind, raw. */
function queryValues(field: Field, fuzz: Fuzz): string[] {
  const { type } = field;
  switch (type.kind) {
    case 'id':
      return fuzz.r.next() < 0.2 ? RAW_PATH_IDS : [enc(pickId(fuzz.r, fuzz.mine[type.of], fuzz.theirs[type.of], fuzz.unknown()))];
    case 'page':
    case 'size':
      return NUMBERS;
    case 'date':
      return DATES;
    case 'datetime':
      return DATETIMES.map(enc);
    case 'boolean':
      return BOOLEANS;
    case 'enum':
      return [String(field.valid).toLowerCase(), 'UNKNOWN', `${String(field.valid)}%20`, '%2C', '%2C%2C', `${String(field.valid)}%2CFOO`, type.values.join('%2C')];
    case 'meta':
      return METAS.map(enc);
    default:
      return QUERY_ANY;
  }
}

/** Near-miss JSON values for a body field of this kind. */
function bodyValues(field: Field, fuzz: Fuzz): readonly unknown[] {
  const { type } = field;
  switch (type.kind) {
    case 'id':
      return fuzz.r.next() < 0.15 ? [42, null, [fuzz.mine[type.of]], { id: fuzz.mine[type.of] }] : [pickId(fuzz.r, fuzz.mine[type.of], fuzz.theirs[type.of], fuzz.unknown())];
    case 'amount':
      return AMOUNTS;
    case 'date':
      return [...DATES, 20260101, null];
    case 'boolean':
      return ['true', 'false', 1, 0, null, 'yes'];
    case 'enum':
      return [String(field.valid).toLowerCase(), 'UNKNOWN', ` ${String(field.valid)}`, '', 0, null, [field.valid], { value: field.valid }];
    case 'identifiers':
      return [
        [], [{}], [null], [{ type: 'EMIRATES_ID' }], [{ type: 'PASSPORT', value: '1' }], [{ type: 'EMIRATES_ID', value: '   ' }],
        [{ type: 'EMIRATES_ID', value: 7 }], { type: 'EMIRATES_ID', value: '1' }, 'EMIRATES_ID', null, Array.from({ length: 500 }, () => ({ type: 'EMIRATES_ID', value: 'x' })),
      ];
    case 'payout_details': {
      const { mine, theirs, r } = fuzz;
      const account = pickId(r, mine.payout_account, theirs.payout_account, fuzz.unknown());
      const destination = pickId(r, mine.payout_destination, theirs.payout_destination, fuzz.unknown());
      return [
        payoutDetails(account, mine.payout_destination),
        payoutDetails(mine.payout_account, destination),
        payoutDetails(mine.payout_account, mine.payout_destination, r.pick(AMOUNTS)),
        payoutDetails(mine.payout_account, mine.payout_destination, r.pick(['20', -20, 20.001, 0, null, Number.MAX_VALUE])),
        payoutDetails(42, null),
        [{ account_id: mine.payout_account, currency: 'SAR', destination_details: [] }],
        [{ account_id: mine.payout_account, currency: 'AED' }],
        [{ account_id: mine.payout_account, currency: 'AED', destination_details: [{ payment_destination_id: mine.payout_destination, amount: 20, authorize_payment: 'yes' }] }],
        [...(payoutDetails(mine.payout_account, mine.payout_destination) as unknown[]), ...(payoutDetails(fuzz.unknown(), mine.payout_destination) as unknown[])],
        [], [null], {}, 'payout', Array.from({ length: 101 }, () => (payoutDetails(mine.payout_account, mine.payout_destination) as unknown[])[0]),
      ];
    }
    case 'text':
      return ['', ' ', '\t\n', 'x'.repeat(256), '\u0000', '<b>x</b>', 'Fuzz\u202eLLC', 'AE070331234567890123457', 'AE07 0331 2345 6789 0123 456', 'SA0380000000608010167519', 'GB82WEST12345698765432'];
    default:
      return JSON_ANY;
  }
}

/**
 * Near-miss header values (null: the header left out). Only what an HTTP client can send: no CR or
 * LF, nothing past Latin-1; the parser trims surrounding spaces, so `' '` arrives empty. The
 * route's own valid value comes twice, so a key is used and then reused with another body.
 */
function headerValues(field: Field): (string | null)[] {
  return [null, '', ' ', '\t', 'x'.repeat(300), 'a\tb', 'caf\u00e9', '"quoted"', '%00', '../../etc', String(field.valid), String(field.valid)];
}

/** `target` names the field to break, for the mutations that break one; otherwise they pick. */
type Mutation = (draft: Draft, fuzz: Fuzz, target?: string) => string | null;

/** Each mutation breaks one thing and says what, or answers null when it does not apply. */
const MUTATIONS: Record<string, Mutation> = {
  pathId: (draft, { r, mine, theirs, unknown }, target) => {
    const names = Object.keys(draft.route.params ?? {});
    if (names.length === 0) return null;
    const name = target ?? r.pick(names);
    const kind = draft.route.params![name]!;
    const value = r.next() < 0.2 ? r.pick(RAW_PATH_IDS) : enc(pickId(r, mine[kind], theirs[kind], unknown()));
    draft.params.set(name, value);
    return `path ${name}=${value.slice(0, 60)}`;
  },
  queryValue: (draft, fuzz, target) => {
    const fields = Object.entries(draft.route.query ?? {}).filter(([name]) => target === undefined || name === target);
    if (fields.length === 0) return null;
    const [name, field] = fuzz.r.pick(fields);
    const value = fuzz.r.pick(queryValues(field, fuzz));
    draft.query = [...draft.query.filter(([key]) => key !== name), [name, value]];
    return `query ${name}=${value.slice(0, 60)}`;
  },
  queryShape: (draft, { r }) => {
    const names = Object.keys(draft.route.query ?? {});
    const name = names.length > 0 && r.next() < 0.8 ? r.pick(names) : r.pick(['page', 'size', 'entity_id', 'unknown']);
    const current = draft.query.find(([key]) => key === name)?.[1] ?? '1';
    const shapes: [string, string | null][][] = [
      [[`${name}[]`, current]],
      [[`${name}[0]`, current], [`${name}[1]`, current]],
      [[name, current], [name, current]],
      [[name, current], [name, 'x']],
      [[`${name}[a]`, current]],
      [[`${name}[a][b][c][d][e][f][g]`, current]],
      [[`${name}[__proto__][polluted]`, 'yes']],
      [[name, '']],
      [[name, null]],
      [[`${name}[`, current]],
    ];
    const shape = r.pick(shapes);
    draft.query = [...draft.query.filter(([key]) => key !== name), ...shape];
    return `query shape ${shape.map(([k, v]) => `${k}=${v ?? ''}`).join('&').slice(0, 80)}`;
  },
  queryNoise: (draft, { r }) => {
    const noise = r.pick<[string, string | null][]>([
      [['unknown_param', 'x']],
      [['__proto__[polluted]', 'yes']],
      [['constructor[prototype][polluted]', 'yes']],
      [['', '']],
      [['', null], ['', null]],
      [['%zz', '1']],
      [['%00', '%00']],
      [['=', '=']],
      Array.from({ length: 1_100 }, (_, i): [string, string] => [`p${i}`, '1']),
    ]);
    draft.query.push(...noise);
    return `query noise ${noise.slice(0, 3).map(([k, v]) => `${k}=${v ?? ''}`).join('&')}`;
  },
  dropQuery: (draft, { r }) => {
    if (draft.query.length === 0) return null;
    const [name] = r.pick(draft.query);
    draft.query = draft.query.filter(([key]) => key !== name);
    return `no query ${name}`;
  },
  bodyField: (draft, fuzz, target) => {
    const body = bodyObject(draft);
    const fields = Object.entries(draft.route.body ?? {}).filter(([name]) => target === undefined || name === target);
    if (!body || fields.length === 0) return null;
    const [name, field] = fuzz.r.pick(fields);
    const value = fuzz.r.next() < 0.15 ? fuzz.r.pick(JSON_ANY) : fuzz.r.pick(bodyValues(field, fuzz));
    body[name] = value;
    return `body ${name}=${JSON.stringify(value)?.slice(0, 60)}`;
  },
  bodyHuge: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body || !draft.route.body) return null;
    const name = r.pick(Object.keys(draft.route.body));
    body[name] = HUGE;
    return `body ${name}=<200 kB string>`;
  },
  dropBodyField: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body || Object.keys(body).length === 0) return null;
    const name = r.pick(Object.keys(body));
    delete body[name];
    return `no body ${name}`;
  },
  bodyNoise: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body) return null;
    const [name, value] = r.pick<[string, unknown]>([['unknown_key', 'x'], ['ENTITY_ID', 'x'], ['toString', 'x'], ['constructor', 'x'], ['hasOwnProperty', 1], ['', '']]);
    body[name] = value;
    return `body +${name}`;
  },
  bodyProto: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body) return null;
    // JSON.stringify cannot write an own `__proto__` key: splice it into the text.
    const key = r.pick(['"__proto__":{"polluted":"yes"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"__proto__":null', '"prototype":{}']);
    const rest = JSON.stringify(body).slice(1);
    draft.body = { type: 'raw', text: `{${key}${rest === '}' ? '' : ','}${rest}` };
    return `body ${key}`;
  },
  bodyDuplicateKey: (draft, fuzz) => {
    const body = bodyObject(draft);
    const fields = Object.entries(draft.route.body ?? {});
    if (!body || fields.length === 0) return null;
    const [name, field] = fuzz.r.pick(fields);
    const second = JSON.stringify(fuzz.r.pick(bodyValues(field, fuzz))) ?? 'null';
    const rest = JSON.stringify(body);
    draft.body = { type: 'raw', text: `${rest.slice(0, -1)}${rest === '{}' ? '' : ','}"${name}":${second}}` };
    return `body ${name} twice, then ${second.slice(0, 40)}`;
  },
  rawAmount: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body || draft.route.body?.amount === undefined) return null;
    const literal = r.pick(RAW_AMOUNTS);
    const rest = JSON.stringify({ ...body, amount: 0 });
    draft.body = { type: 'raw', text: rest.replace('"amount":0', `"amount":${literal}`) };
    return `body amount=${literal}`;
  },
  wholeBody: (draft, { r }) => {
    if (r.next() < 0.5) {
      const value = r.pick<unknown>([[], [bodyObject(draft) ?? {}], 'str', 42, null, true, deep(50), {}, Array(1_000).fill(0)]);
      draft.body = { type: 'json', value };
      draft.headers['content-type'] = 'application/json';
      return `body ${JSON.stringify(value).slice(0, 40)}`;
    }
    const text = r.pick(RAW_BODIES);
    draft.body = { type: 'raw', text };
    draft.headers['content-type'] = 'application/json';
    return `raw body ${JSON.stringify(text.slice(0, 40))}`;
  },
  oversizedBody: (draft) => {
    draft.body = { type: 'raw', text: JSON.stringify({ entity_id: 'x'.repeat(300_000) }) };
    draft.headers['content-type'] = 'application/json';
    return 'body over 256 kB';
  },
  contentType: (draft, { r }) => {
    const type = r.pick([...CONTENT_TYPES, null]);
    if (type === null) delete draft.headers['content-type'];
    else draft.headers['content-type'] = type;
    return `content-type ${type ?? '(none)'}`;
  },
  contentEncoding: (draft, { r }) => {
    const encoding = r.pick(CONTENT_ENCODINGS);
    draft.headers['content-encoding'] = encoding;
    if (draft.body.type === 'none') draft.body = { type: 'raw', text: '{}' };
    return `content-encoding ${encoding}`;
  },
  garbageBytes: (draft, { r }) => {
    draft.body = { type: 'raw', text: Buffer.from(Array.from({ length: r.int(1, 64) }, () => r.int(0, 255))) };
    draft.headers['content-type'] = r.pick(['application/json', 'application/json; charset=utf-8', 'application/octet-stream']);
    return 'body of random bytes';
  },
  headerValue: (draft, { r }, target) => {
    const names = Object.keys(draft.route.headers ?? {}).filter((name) => target === undefined || name === target);
    if (names.length === 0) return null;
    const name = r.pick(names);
    const value = r.pick(headerValues(draft.route.headers![name]!));
    if (value === null) delete draft.headers[name];
    else draft.headers[name] = value;
    return `header ${name}: ${value === null ? '(none)' : JSON.stringify(value.slice(0, 40))}`;
  },
  pathShape: (draft, { r }) => {
    const [name, reshape] = r.pick<[string, (path: string) => string]>([
      ['trailing /', (p) => `${p}/`],
      ['trailing //', (p) => `${p}//`],
      ['leading //', (p) => `/${p}`],
      ['extra segment', (p) => `${p}/extra`],
      ['upper case', (p) => p.toUpperCase()],
      ['matrix parameter', (p) => `${p};x=1`],
      ['encoded trailing /', (p) => `${p}%2F`],
      ['encoded segments', (p) => `/${p.slice(1).replaceAll('/', '%2F')}`],
    ]);
    draft.reshape = reshape;
    return `path ${name}`;
  },
};

const BODY_MUTATIONS = ['dropBodyField', 'bodyNoise', 'bodyProto', 'bodyDuplicateKey', 'rawAmount', 'wholeBody', 'wholeBody', 'contentType', 'contentEncoding', 'garbageBytes', 'bodyHuge'];
const QUERY_MUTATIONS = ['queryShape', 'queryShape', 'queryNoise', 'dropQuery'];

/**
 * What can be broken on a route: each of its fields (path ids weigh most: they reach the
 * look-ups), then the shape of its query, body and path as a whole.
 */
function mutationMenu(route: Route): [string, string?][] {
  const each = (mutation: string, fields: object | undefined, weight: number) =>
    Object.keys(fields ?? {}).flatMap((name) => Array.from({ length: weight }, (): [string, string] => [mutation, name]));
  return [
    ...each('pathId', route.params, 4),
    ...each('queryValue', route.query, 2),
    ...each('bodyField', route.body, 2),
    ...each('headerValue', route.headers, 2),
    ...(route.query ? QUERY_MUTATIONS : ['queryNoise', 'queryShape']).map((m): [string] => [m]),
    ...(route.body ? BODY_MUTATIONS : ['wholeBody']).map((m): [string] => [m]),
    ['pathShape'],
  ];
}

export function hostileDraft(route: Route, fuzz: Fuzz): Draft {
  const draft = validDraft(route, fuzz);
  const { r } = fuzz;
  const menu = mutationMenu(route);
  if (route.body && r.next() < 0.02) draft.notes.push(MUTATIONS.oversizedBody!(draft, fuzz)!);
  const count = r.pick([1, 1, 1, 1, 1, 2, 2, 3]);
  while (draft.notes.length < count) {
    const [mutation, target] = r.pick(menu);
    const note = MUTATIONS[mutation]!(draft, fuzz, target);
    if (note !== null) draft.notes.push(note);
  }
  return draft;
}

/** `count` different items of the list, in random order. */
function sample<T>(r: SeededRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(r.int(0, pool.length - 1), 1)[0]!);
  return out;
}

/** For a sweep: the ids that must reach the look-ups, a well-formed one in upper case, and two near misses. */
function sweepIds(kind: IdKind, fuzz: Fuzz): string[] {
  const valid = fuzz.mine[kind];
  return [fuzz.unknown(), fuzz.theirs[kind], valid.toUpperCase(), 'x'.repeat(256), ...sample(fuzz.r, idNearMisses(valid, fuzz.theirs[kind], fuzz.unknown()), 2)];
}

const short = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 60);

/**
 * One thing wrong at a time, for every field of the route: wrong values of its kind (every
 * amount; ids unknown, another app's, malformed) and its absence. The random variants that
 * follow break several things at once; this sweep makes sure each field's own checks are reached.
 */
export function sweepDrafts(route: Route, fuzz: Fuzz, only?: 'ids'): Draft[] {
  const { r } = fuzz;
  const drafts: Draft[] = [];
  const one = (note: string, change: (draft: Draft) => void) => {
    const draft = validDraft(route, fuzz);
    change(draft);
    draft.notes.push(note);
    drafts.push(draft);
  };
  const setQuery = (draft: Draft, name: string, value: string | null) => {
    draft.query = [...draft.query.filter(([key]) => key !== name), ...(value === null ? [] : [[name, value] as [string, string]])];
  };
  const wanted = (field: Field) => only === undefined || field.type.kind === 'id';
  for (const [name, kind] of Object.entries(route.params ?? {})) {
    const ids = only ? [fuzz.unknown()] : [...sweepIds(kind, fuzz).map(enc), r.pick(RAW_PATH_IDS)];
    for (const id of ids) one(`path ${name}=${short(id)}`, (draft) => draft.params.set(name, id));
  }
  for (const [name, field] of Object.entries(route.query ?? {}).filter(([, f]) => wanted(f))) {
    const values = field.type.kind === 'id' ? sweepIds(field.type.of, fuzz).map(enc) : sample(r, queryValues(field, fuzz), 4);
    for (const value of only ? values.slice(0, 1) : values) one(`query ${name}=${short(value)}`, (draft) => setQuery(draft, name, value));
    if (!only) one(`no query ${name}`, (draft) => setQuery(draft, name, null));
  }
  for (const [name, field] of Object.entries(route.body ?? {}).filter(([, f]) => wanted(f))) {
    const values: unknown[] =
      field.type.kind === 'id' ? [...sweepIds(field.type.of, fuzz), 42, null]
      : field.type.kind === 'amount' ? [...AMOUNTS]
      : [...sample(r, bodyValues(field, fuzz), 4), r.pick(JSON_ANY)];
    for (const value of only ? values.slice(0, 1) : values) one(`body ${name}=${short(value)}`, (draft) => (bodyObject(draft)![name] = value));
    if (!only) one(`no body ${name}`, (draft) => delete bodyObject(draft)![name]);
  }
  for (const [name, field] of Object.entries(route.headers ?? {})) {
    if (only) break;
    for (const value of headerValues(field)) {
      one(`header ${name}: ${value === null ? '(none)' : short(value)}`, (draft) => {
        if (value === null) delete draft.headers[name];
        else draft.headers[name] = value;
      });
    }
  }
  return drafts;
}
