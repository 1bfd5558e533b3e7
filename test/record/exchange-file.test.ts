import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyBytes, exchangeFileName, storeBody } from '../../src/record/exchange-file.js';
import { createExchangeWriter } from '../../src/record/exchange-writer.js';
import { seededRandom } from '../../src/sandbox/random.js';

const keep = (value: unknown): unknown => value;
const keepText = (text: string): string => text;

describe('stored bodies', () => {
  it('give back the very bytes that were sent, JSON or not (1,000 seeded bodies)', () => {
    const random = seededRandom(23);
    const pieces = ['{', '}', '[', ']', '"a"', ':', ',', ' ', '\n', '1', '1.0', '1e2', '-0', 'null', 'true', '"\\u00e9"', '"é"', '"\\/"', 'x', '\u{1F600}'];
    for (let round = 0; round < 1000; round++) {
      const text = Array.from({ length: random.int(0, 12) }, () => random.pick(pieces)).join('');
      const bytes = random.int(0, 9) === 0 ? Buffer.from([0xff, ...Buffer.from(text)]) : Buffer.from(text);
      expect(bodyBytes(storeBody(bytes, keep, keepText))).toEqual(bytes);
    }
  });

  it('keep compact JSON as JSON (readable in the file) and anything else as text or base64', () => {
    expect(storeBody(Buffer.from('{"a":[1,2]}'), keep, keepText)).toEqual({ body: { a: [1, 2] } });
    expect(storeBody(Buffer.from('{ "a": 1 }'), keep, keepText)).toEqual({ body_text: '{ "a": 1 }' });
    expect(storeBody(Buffer.from([0xc3]), keep, keepText)).toEqual({ body_base64: 'ww==' });
    expect(storeBody(Buffer.alloc(0), keep, keepText)).toEqual({});
  });
});

describe('exchange files', () => {
  it('are named by sequence, method and path, safely for any path', () => {
    expect(exchangeFileName(7, 'GET', '/data/v2/accounts')).toBe('0007-GET-data-v2-accounts.json');
    expect(exchangeFileName(12345, 'POST', '/../../etc/passwd')).toBe('12345-POST-etc-passwd.json');
    expect(exchangeFileName(1, 'GET', '/')).toBe('0001-GET.json');
    expect(exchangeFileName(1, 'GET', `/${'é/'.repeat(500)}`)).toMatch(/^0001-GET\.json$/);
  });

  it('continue the numbering of a folder that already holds recordings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lean-mock-exchanges-'));
    try {
      await writeFile(join(dir, '0041-GET-banks-v1.json'), '{}');
      await writeFile(join(dir, 'notes.txt'), 'kept');
      const writer = await createExchangeWriter({ dir, upstream: 'https://x', secrets: () => ['super-secret-token'], clock: () => new Date(0) });
      const name = await writer.write({
        method: 'GET',
        target: '/banks/v1?token=super-secret-token&x=1',
        requestHeaders: { 'lean-app-token': 'super-secret-token' },
        requestBody: Buffer.alloc(0),
        status: 200,
        responseHeaders: { 'content-type': 'application/json', 'set-cookie': ['a=b'], connection: 'keep-alive' },
        responseBody: Buffer.from('{"echo":"super-secret-token"}'),
      });
      expect(name).toBe('0042-GET-banks-v1.json');
      expect((await readdir(dir)).sort()).toEqual(['0041-GET-banks-v1.json', '0042-GET-banks-v1.json', 'notes.txt']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
