import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder } from '../../src/record/index.js';
import type { ExchangeFile } from '../../src/record/exchange-file.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { QUERY_ANY, RAW_BODIES, RAW_PATH_IDS } from '../support/hostile-values.js';
import { call, presented } from '../support/mock-client.js';

/**
 * Whatever a client sends through `record`, the recorder answers it (the upstream's answer, or a
 * Lean error of its own), writes a file for every forwarded exchange and never leaks a secret or
 * a path outside its folder into a file name.
 */
describe('lean-mock record under hostile requests', () => {
  let upstream: LeanMock;
  let recorder: LeanMock;
  let out: string;
  let exchanges = 0;

  beforeAll(async () => {
    upstream = await startLeanMock({ seed: 4, adminPort: 'off' });
    out = await mkdtemp(join(tmpdir(), 'lean-mock-record-hostile-'));
    const user = upstream.pki.apps[0]!;
    recorder = await startRecorder({
      upstream: upstream.url,
      identity: { cert: user.credential.certificatePem, key: user.credential.privateKeyPem, ca: upstream.pki.chainPem },
      credentials: { kind: 'app_token', appToken: user.appToken },
      out,
      adminPort: 'off',
      onExchange: () => exchanges++,
    });
  });
  afterAll(async () => {
    await recorder?.close();
    await upstream?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('answers 150 seeded hostile requests, one file per forwarded one, no secret in any file', async () => {
    const random = seededRandom(31);
    const token = recorder.pki.apps[0]!.appToken;
    const paths = ['/customers/v1/', '/data/v2/accounts/', '/payments/v1/intents/', '/banks/v1', '/x/'];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
    for (let round = 0; round < 150; round++) {
      const path = `${random.pick(paths)}${random.int(0, 1) ? random.pick(RAW_PATH_IDS) : ''}`;
      const query = random.int(0, 1) ? `?entity_id=${random.pick(QUERY_ANY)}&token=${token}` : '';
      const method = random.pick(methods);
      const huge = random.int(0, 20) === 0;
      const body = huge ? 'x'.repeat(300 * 1024) : method === 'GET' ? undefined : String(random.pick(RAW_BODIES));
      const reply = await call(recorder.url, recorder.pki, presented(recorder.pki, 'my_app'), {
        method,
        path: `${path}${query}`,
        body,
        headers: {
          'lean-app-token': token,
          connection: 'keep-alive, x-drop-me',
          'x-drop-me': 'hop',
          ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      });
      if (!reply.ok) throw new Error(`no answer to ${method} ${path}: ${reply.message}`);
      if (huge) expect(reply.status).toBe(413);
      expect(reply.status).toBe(recorder.journal.requests()[0]!.status);
    }
    const files = await readdir(out);
    expect(files.every((name) => /^\d{4,}-[A-Z]+(-[A-Za-z0-9-]+)?\.json$/.test(name))).toBe(true);
    expect(files.length).toBe(exchanges);
    expect(exchanges).toBeGreaterThan(100);
    const texts = await Promise.all(files.map((name) => readFile(join(out, name), 'utf8')));
    for (const text of texts) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(upstream.pki.apps[0]!.appToken);
      const file = JSON.parse(text) as ExchangeFile;
      expect(Object.keys(file.request.headers)).not.toContain('x-drop-me');
      expect(Object.keys(file.request.headers)).not.toContain('connection');
    }
  });
});
