import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, type ExchangeFile } from '../../src/record/exchange-file.js';
import { loadReplayFolder, ReplayFolderError } from '../../src/replay/index.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { call, presented } from '../support/mock-client.js';

/** A file as `record` writes it. The body is one no simulated sandbox would ever produce. */
function exchange(request: Partial<ExchangeFile['request']>, response: Partial<ExchangeFile['response']>): ExchangeFile {
  return {
    lean_mock_exchange: 1,
    recorded_at: '2026-12-01T10:00:00.000Z',
    upstream: 'https://sandbox.leantech.me',
    request: { method: 'GET', path: '/banks/v1', query: {}, headers: {}, ...request },
    response: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, ...response },
  };
}

describe('serve --replay: recorded exchanges answer matching requests, the sandbox the rest', () => {
  let dir: string;
  let mock: LeanMock;
  const banksText = '[{"identifier":"RECORDED_BANK","name":"Recorded",  "odd spacing":true}]';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lean-mock-replay-'));
    const files: Record<string, ExchangeFile> = {
      '0001-GET-banks-v1.json': exchange({}, { body_text: banksText, headers: { 'content-type': 'application/json', 'lean-correlation-id': 'RECORDEDRECORDED', 'x-recorded': 'yes' } }),
      '0002-POST-customers-v1.json': exchange(
        { method: 'POST', path: '/customers/v1', body: { app_user_id: 'alice', government_identifiers: [{ type: 'EMIRATES_ID', value: '1' }] } },
        { status: 409, body: { timestamp: '2026-12-01T10:00:00Z', status: 'CUSTOMER_ALREADY_EXISTS', message: 'recorded', metadata: null } },
      ),
      '0003-GET-data-v2-accounts.json': exchange(
        { path: '/data/v2/accounts', query: { entity_id: 'e-1', page: '0', size: '10' } },
        { body: { status: 'OK', data: { accounts: [] } } },
      ),
    };
    for (const [name, file] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(file, null, 2));
    mock = await startLeanMock({ replay: dir, adminPort: 'off' });
  });
  afterAll(async () => {
    await mock?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const send = (path: string, options: { method?: string; body?: string } = {}) =>
    call(mock.url, mock.pki, presented(mock.pki, 'my_app'), {
      path,
      method: options.method,
      body: options.body,
      headers: {
        'lean-app-token': mock.pki.apps[0]!.appToken,
        ...(options.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) } : {}),
      },
    });

  it('answers with the recorded status, headers and body, byte for byte, and the journal names the file', async () => {
    const reply = await send('/banks/v1');
    if (!reply.ok) throw new Error(reply.message);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(banksText);
    expect(reply.headers['x-recorded']).toBe('yes');
    // The mock's own correlation id: it names this request in the journal.
    expect(reply.headers['lean-correlation-id']).not.toBe('RECORDEDRECORDED');
    expect(mock.journal.requests()[0]).toMatchObject({ path: '/banks/v1', status: 200, replayed: '0001-GET-banks-v1.json' });
  });

  it('matches a JSON body whatever the order of its keys, and a query whatever the order of its parameters', async () => {
    const body = JSON.stringify({ government_identifiers: [{ value: '1', type: 'EMIRATES_ID' }], app_user_id: 'alice' });
    const created = await send('/customers/v1/', { method: 'POST', body });
    expect(created.ok && created.status).toBe(409);
    expect(mock.journal.requests()[0]!.replayed).toBe('0002-POST-customers-v1.json');

    const accounts = await send('/data/v2/accounts?size=10&entity_id=e-1&page=0');
    expect(accounts.ok && accounts.body).toBe('{"status":"OK","data":{"accounts":[]}}');
  });

  it('leaves everything else to the simulated sandbox, with no replay mark', async () => {
    const otherBody = await send('/customers/v1', { method: 'POST', body: JSON.stringify({ app_user_id: 'bob' }) });
    expect(otherBody.ok && otherBody.status).toBe(200);
    const otherQuery = await send('/data/v2/accounts?entity_id=e-1&page=1&size=10');
    expect(otherQuery.ok && otherQuery.status).not.toBe(200);
    const unrecorded = await send('/customers/v1');
    expect(unrecorded.ok && unrecorded.status).toBe(200);
    const records = mock.journal.requests().slice(0, 3);
    expect(records.map((record) => record.replayed)).toEqual([undefined, undefined, undefined]);
  });

  it('still answers a bad JSON body on a recorded route as the sandbox would: a Lean 400', async () => {
    const reply = await send('/customers/v1', { method: 'POST', body: '{"app_user_id":' });
    expect(reply.ok && reply.status).toBe(400);
    expect(reply.ok && (reply.json as { status: string }).status).toBe('INVALID_PARAMETERS');
  });
});

describe('a replay folder that cannot be used', () => {
  it('is refused whole, naming the file and the JSON path at fault', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lean-mock-replay-bad-'));
    try {
      await writeFile(join(dir, '0001-GET-banks-v1.json'), JSON.stringify(exchange({}, { body: [] })));
      await writeFile(join(dir, '0002-GET-x.json'), JSON.stringify(exchange({}, { status: 42 })));
      await expect(loadReplayFolder(dir)).rejects.toThrow(/0002-GET-x\.json: \$\.response\.status: must be an HTTP status/);
      await expect(startLeanMock({ replay: dir, adminPort: 'off' })).rejects.toThrow(ReplayFolderError);
      await expect(startLeanMock({ replay: join(dir, 'absent'), adminPort: 'off' })).rejects.toThrow(/cannot read replay folder .*absent: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never fails any other way, whatever a file holds (500 seeded mutations of a valid file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lean-mock-replay-fuzz-'));
    const random = seededRandom(17);
    const valid = exchange({ method: 'POST', path: '/customers/v1', query: { a: ['1', '2'] }, body: { app_user_id: 'x' } }, { body: { ok: true } });
    const hostile: unknown[] = [null, 0, -1, 1e309, 'x', '', [], {}, [1], { a: 1 }, true, 'GET\r\nX: y', '/\n', 600, 99.5, '===', 'a'.repeat(10_000)];
    const paths = [['lean_mock_exchange'], ['request'], ['request', 'method'], ['request', 'path'], ['request', 'query'], ['request', 'query', 'a'], ['request', 'body'], ['request', 'body_text'], ['request', 'body_base64'], ['response'], ['response', 'status'], ['response', 'headers'], ['response', 'headers', 'content-type'], ['response', 'headers', 'bad name'], ['response', 'body_text'], ['response', 'body_base64']];
    try {
      for (let round = 0; round < 500; round++) {
        const file = structuredClone(valid) as unknown as Record<string, unknown>;
        for (let change = random.int(1, 3); change > 0; change--) {
          const path = random.pick(paths);
          let at: Record<string, unknown> = file;
          for (const key of path.slice(0, -1)) {
            if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
            at = at[key] as Record<string, unknown>;
          }
          at[path.at(-1)!] = random.pick(hostile);
        }
        const text = random.int(0, 9) === 0 ? JSON.stringify(file).slice(0, random.int(0, 50)) : JSON.stringify(file);
        await writeFile(join(dir, '0001-x.json'), text);
        try {
          const set = await loadReplayFolder(dir);
          for (const entry of set.entries.values()) expect(Buffer.isBuffer(entry.body)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ReplayFolderError);
          expect(String((error as Error).message)).toContain('0001-x.json');
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives back exactly the bytes a stored body stands for', async () => {
    const text = await readFile(new URL(import.meta.url), 'utf8');
    expect(bodyBytes({ body_text: text }).toString('utf8')).toBe(text);
    expect(bodyBytes({ body_base64: Buffer.from([0xff, 0x00, 0xfe]).toString('base64') })).toEqual(Buffer.from([0xff, 0x00, 0xfe]));
    expect(bodyBytes({})).toHaveLength(0);
  });
});
