import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { HandshakeRecord } from '../../src/gateway/journal.js';
import type { VariantName } from '../../src/pki/catalogue.js';
import { writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import type { PkiManifest } from '../../src/pki/manifest.js';
import { toPkcs12 } from '../../src/pki/pkcs12.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { observe as observeCall, type Observed as ObservedCall } from '../support/external.js';
import type { PemIdentity, Pkcs12Identity, StackOutcome } from '../support/stacks.js';

/**
 * One certificate folder as `lean-mock certs` writes it, the PKCS#12 keystores a Java user would
 * make from it, and two mocks on 127.0.0.1: the default one (trusts root + intermediate) and one
 * with `requireClientChain` (trusts the root only).
 */
export interface ClientsFixture {
  readonly folder: string;
  readonly pki: LeanPki;
  readonly manifest: PkiManifest;
  readonly mock: LeanMock;
  readonly chainMock: LeanMock;
  close(): Promise<void>;
}

export async function startClientsFixture(): Promise<ClientsFixture> {
  const folder = await mkdtemp(join(tmpdir(), 'lean-mock-clients-'));
  const pki = await createLeanPki();
  const manifest = await writePkiFolder(pki, folder);
  await writeKeystores(pki, folder);
  const mock = await startLeanMock({ pki, adminPort: 'off' });
  const chainMock = await startLeanMock({ pki, adminPort: 'off', requireClientChain: true });
  return {
    folder,
    pki,
    manifest,
    mock,
    chainMock,
    async close() {
      await Promise.all([mock.close(), chainMock.close()]);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The keystores the folder does not ship, under `p12/` (the folder's own `my_app.p12` is leaf + intermediate + root). */
export const keystorePath = (folder: string, name: string): string => join(folder, 'p12', `${name}.p12`);

/**
 * What a user would put in a keystore: the leaf and every issuer the folder holds for it, up to a
 * self-signed one. Each bad variant is built this way, so the only fault in it is the catalogue's:
 * `incomplete_chain` stays leaf-only (its intermediate is left out of the pool on purpose), and
 * `incomplete_chain+chain` is the fix, with that intermediate.
 */
async function writeKeystores(pki: LeanPki, folder: string): Promise<void> {
  await mkdir(join(folder, 'p12'));
  const pool = [pki.intermediate.certificatePem, pki.root.certificatePem, pki.rogueRootPem];
  const save = (name: string, keyPem: string, certificatePems: string[]): Promise<void> =>
    writeFile(keystorePath(folder, name), toPkcs12({ keyPem, certificatePems, password: pki.p12Password, friendlyName: name }), { mode: 0o600 });

  const app = pki.apps[0]!.credential;
  await save('my_app_leaf_only', app.privateKeyPem, [app.certificatePem]);
  for (const variant of pki.variants) {
    // key_mismatch cannot be a keystore at all: toPkcs12 refuses a key that is not the leaf's.
    if (!variant.credential || variant.rejectedBy !== 'server') continue;
    const { certificatePem, privateKeyPem } = variant.credential;
    await save(variant.name, privateKeyPem, chainOf(certificatePem, pool));
    if (variant.name === 'incomplete_chain') {
      await save('incomplete_chain+chain', privateKeyPem, chainOf(certificatePem, [pki.partnerIntermediate.certificatePem, ...pool]));
    }
  }
}

/** The leaf, then whichever pool certificate issued the last one, until none did or one signed itself. */
export function chainOf(leafPem: string, pool: readonly string[]): string[] {
  const chain = [leafPem];
  let current = new X509Certificate(leafPem);
  for (let depth = 0; depth < 4 && current.subject !== current.issuer; depth += 1) {
    const issuerPem = pool.find((pem) => {
      const candidate = new X509Certificate(pem);
      return current.checkIssued(candidate) && current.verify(candidate.publicKey);
    });
    if (!issuerPem) break;
    chain.push(issuerPem);
    current = new X509Certificate(issuerPem);
  }
  return chain;
}

// ------------------------------------------------------------------------------------------------

/** The files of one case in each form a stack reads; null for no certificate at all. */
export interface CaseIdentity {
  pem: PemIdentity | null;
  pkcs12: Pkcs12Identity | null;
}

export interface Identities {
  /** my_app's certificate alone: my_app_cert.crt, or a keystore with the leaf only. */
  appLeafOnly: CaseIdentity;
  /** my_app's certificate with its chain: my_app_cert_and_chain.crt, or the folder's my_app.p12. */
  appWithChain: CaseIdentity;
  variant(name: VariantName | 'incomplete_chain+chain'): CaseIdentity;
}

export function identities(fixture: ClientsFixture): Identities {
  const { folder, manifest } = fixture;
  const password = manifest.p12_password;
  const app = manifest.apps[0]!;
  const pem = (cert: string, key: string): PemIdentity => ({ kind: 'pem', cert: join(folder, cert), key: join(folder, key) });
  const pkcs12 = (path: string): Pkcs12Identity => ({ kind: 'pkcs12', file: path, password });
  const filesOf = (name: VariantName): PkiManifest['variants'][number]['files'] =>
    manifest.variants.find((variant) => variant.name === name)!.files;
  return {
    appLeafOnly: { pem: pem(app.cert, app.key), pkcs12: pkcs12(keystorePath(folder, 'my_app_leaf_only')) },
    appWithChain: { pem: pem(app.cert_and_chain, app.key), pkcs12: pkcs12(join(folder, app.p12)) },
    variant(name) {
      if (name === 'no_certificate') return { pem: null, pkcs12: null };
      if (name === 'incomplete_chain+chain') {
        const files = filesOf('incomplete_chain');
        return { pem: pem(files.cert_and_chain!, files.key!), pkcs12: pkcs12(keystorePath(folder, name)) };
      }
      const files = filesOf(name);
      return { pem: pem(files.cert!, files.key!), pkcs12: name === 'key_mismatch' ? null : pkcs12(keystorePath(folder, name)) };
    },
  };
}

// ------------------------------------------------------------------------------------------------

export type Observed = ObservedCall<StackOutcome>;

/** {@link observeCall} for a client stack, whose hang shows as its error. */
export const observe = (mock: LeanMock, call: () => Promise<StackOutcome>, expectHandshake: boolean): Promise<Observed> =>
  observeCall(mock, call, expectHandshake, (outcome) => `${outcome.error}`);

/** The one handshake of a call, which is also the journal's newest. */
export function onlyHandshake(mock: LeanMock, observed: Observed): HandshakeRecord {
  expect(observed.handshakes, `exactly one handshake for one call (client said: ${observed.outcome.error ?? observed.outcome.status})`).toHaveLength(1);
  const handshake = observed.handshakes[0]!;
  expect(mock.journal.handshakes()[0]?.id, 'the newest handshake in the journal').toBe(handshake.id);
  return handshake;
}
