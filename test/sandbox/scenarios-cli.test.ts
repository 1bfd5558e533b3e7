import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readPkiFolder } from '../../src/pki/folder.js';
import { expectOneErrorLine, leanMock, removeTempDirs, startServe, tempDir } from '../support/cli.js';
import { call, presented } from '../support/mock-client.js';

/*
 * `lean-mock serve --scenario FILE` (the built CLI): the scenario is served over mTLS from the
 * first request, the admin API shows what it created, and a bad file is exit 2 with one line
 * naming the file and the JSON path.
 */

const ALICE = fileURLToPath(new URL('../../fixtures/scenarios/alice.json', import.meta.url));
const ENTITY = '0c9d8e7f-6a5b-4c3d-8e1f-2a3b4c5d6e7f';
const ACCOUNT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

let work: string;
beforeAll(() => {
  work = tempDir();
  expect(leanMock(['certs', '--out', 'certs'], work).code).toBe(0);
});
afterAll(() => removeTempDirs());

describe('serve --scenario', () => {
  it.each([
    ['JSON', ALICE],
    ['YAML', 'alice.yaml'],
  ])('serves a %s scenario over mTLS from the first request', async (_format, file) => {
    if (file.endsWith('.yaml')) writeFileSync(join(work, file), stringify(JSON.parse(readAlice())));
    const serve = await startServe(['--certs', 'certs', '--port', '0', '--admin-port', '0', '--json', '--scenario', file], work);
    try {
      const ready = JSON.parse(serve.readyLine) as { url: string; adminUrl: string; appToken: string };
      const state = (await (await fetch(`${ready.adminUrl}/admin/v1/scenarios`)).json()) as { created: { customers: { app_user_id: string }[] } };
      expect(state.created.customers.map((c) => c.app_user_id)).toEqual(['alice']);
      const { pki } = await readPkiFolder(join(work, 'certs'));
      const reply = await call(ready.url, pki, presented(pki, 'my_app'), {
        path: `/data/v2/accounts/${ACCOUNT}/balances?entity_id=${ENTITY}`,
        headers: { 'lean-app-token': ready.appToken },
      });
      expect(reply.ok && reply.status).toBe(200);
      const balances = (reply.ok ? reply.json : null) as { data: { balances: { type: string; amount: { amount: number } }[] } };
      expect(balances.data.balances.find((b) => b.type === 'CLOSING_AVAILABLE')!.amount.amount).toBe(1234.56);
    } finally {
      expect((await serve.stop()).code).toBe(0);
    }
  });

  it('refuses an invalid scenario: exit 2, one line naming the file and the JSON path', () => {
    const bad = JSON.parse(readAlice()) as { customers: { entities: { accounts: Record<string, unknown>[] }[] }[] };
    bad.customers[0]!.entities[0]!.accounts[1]!.balance = '12';
    writeFileSync(join(work, 'bad.json'), JSON.stringify(bad));
    const line = expectOneErrorLine(leanMock(['serve', '--certs', 'certs', '--port', '0', '--admin-port', '0', '--scenario', 'bad.json'], work), 2);
    expect(line).toBe('error: --scenario bad.json: customers[0].entities[0].accounts[1].balance: expected a number, got a string\n');
  });

  it.each([
    ['missing.json', null, /^error: cannot read scenario .*missing\.json: no such file\n$/],
    ['broken.json', '{"customers": [', /^error: --scenario .*broken\.json: not valid JSON \(.+\)\n$/],
    ['broken.yaml', 'customers: [unclosed', /^error: --scenario .*broken\.yaml: not valid YAML \(.+\)\n$/],
    ['.', null, /^error: cannot read scenario .*: not a file\n$/],
  ])('refuses %s with exit 2 and one line', (file, content, expected) => {
    if (content !== null) writeFileSync(join(work, file), content);
    const line = expectOneErrorLine(leanMock(['serve', '--certs', 'certs', '--port', '0', '--admin-port', '0', '--scenario', file], work), 2);
    expect(line).toMatch(expected);
  });
});

const readAlice = (): string => readFileSync(ALICE, 'utf8');
