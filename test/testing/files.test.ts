import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';
import { openssl } from '../support/openssl.js';

describe('files()', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock.close());

  it('writes the certificate folder once, on first call, with its manifest', async () => {
    const [first, second] = await Promise.all([mock.files(), mock.files()]);
    expect(second).toBe(first);
    expect(first.manifest.apps[0]).toMatchObject({ name: 'my_app', app_token: mock.appToken, client_secret: mock.clientSecret });
    expect(JSON.parse(await readFile(join(first.dir, 'manifest.json'), 'utf8'))).toEqual(first.manifest);
    expect((await stat(join(first.dir, first.manifest.apps[0]!.key))).mode & 0o777).toBe(0o600);
  });

  it('holds a client certificate that openssl verifies against the chain file, and bad ones it refuses', async () => {
    const { dir, manifest } = await mock.files();
    const chain = join(dir, manifest.trust.chain);
    const good = openssl(['verify', '-CAfile', chain, '-purpose', 'sslclient', join(dir, manifest.apps[0]!.cert)]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/: OK/);
    const expired = manifest.variants.find((variant) => variant.name === 'expired')!;
    const bad = openssl(['verify', '-CAfile', chain, join(dir, expired.files.cert!)]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/certificate has expired/);
  });

  it('holds the same material the mock serves with', async () => {
    const { dir, manifest } = await mock.files();
    expect(await readFile(join(dir, manifest.trust.chain), 'utf8')).toBe(mock.identities.my_app.ca);
    expect(await readFile(join(dir, manifest.apps[1]!.cert), 'utf8')).toBe(mock.identities.other_app.cert);
  });
});

describe('files() and close()', () => {
  it('removes the folder on close, and refuses to write it again afterwards', async () => {
    const mock = await startTestMock();
    const { dir } = await mock.files();
    expect(existsSync(dir)).toBe(true);
    await mock.close();
    expect(existsSync(dir)).toBe(false);
    await expect(mock.files()).rejects.toThrow(/files\(\) after close\(\)/);
  });

  it('waits for a write still in flight before removing it', async () => {
    const mock = await startTestMock();
    const pending = mock.files();
    await mock.close();
    const { dir } = await pending;
    expect(existsSync(dir)).toBe(false);
  });

  it('writes nothing when never asked', async () => {
    const mock = await startTestMock();
    await mock.close();
    await expect(mock.files()).rejects.toThrow();
  });
});
