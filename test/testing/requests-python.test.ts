import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

// The README's Python check, as a Python suite would run it: the admin API answers
// "did my client send this, exactly once, with this body?".

const hasPython = spawnSync('python3', ['--version']).status === 0;

const SCRIPT = `
import json, os, sys, urllib.parse, urllib.request
query = urllib.parse.urlencode({"method": "post", "path": "/customers/v1", "status": "2xx"})
sent = json.load(urllib.request.urlopen(f"{os.environ['ADMIN_URL']}/admin/v1/requests?{query}"))
assert len(sent) == 1, sent
assert sent[0]["body"]["json"] == {"app_user_id": "alice"}, sent[0]["body"]
try:
    urllib.request.urlopen(f"{os.environ['ADMIN_URL']}/admin/v1/requests?status=2xxx")
    sys.exit("a malformed status was accepted")
except urllib.error.HTTPError as error:
    assert error.code == 400 and json.load(error)["status"] == "INVALID_PARAMETERS"
print("ok")
`;

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());

it.skipIf(!hasPython)('a Python suite asserts over the admin API what the client sent', async () => {
  const headers = { ...mock.headers(), 'content-type': 'application/json' };
  expect((await mock.fetch('/customers/v1', { method: 'POST', headers, body: '{"app_user_id": "alice"}' })).status).toBe(200);
  await mock.fetch('/customers/v1', { method: 'POST', headers, body: '{"app_user_id": 7}' });
  // Not spawnSync: the mock answers from this very process.
  const python = await promisify(execFile)('python3', ['-c', SCRIPT], { env: { ...process.env, ADMIN_URL: mock.adminUrl }, encoding: 'utf8' });
  expect(python.stderr).toBe('');
  expect(python.stdout.trim()).toBe('ok');
});
