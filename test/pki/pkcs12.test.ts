import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import { toPkcs12, type Pkcs12Flavour } from '../../src/pki/pkcs12.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyType = 'ec' | 'rsa';
const KEY_TYPES: KeyType[] = ['ec', 'rsa'];
const FLAVOURS: Pkcs12Flavour[] = ['aes256', '3des'];
const PASSWORD = 'correct horse';

const ALGORITHMS = {
  ec: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  rsa: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;

const hasKeytool = !spawnSync('keytool', ['-help']).error;

interface Hierarchy {
  keyPem: string;
  /** Leaf, intermediate, root; each with a trailing newline. */
  certificatePems: string[];
}

async function buildHierarchy(keyType: KeyType): Promise<Hierarchy> {
  const algorithm = ALGORITHMS[keyType];
  const newKeys = async () =>
    (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const caExtensions = (pathLength: number) => [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];

  const rootKeys = await newKeys();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=pkcs12 test root ${keyType}`,
    keys: rootKeys,
    signingAlgorithm: algorithm,
    extensions: caExtensions(1),
  });
  const intermediateKeys = await newKeys();
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=pkcs12 test intermediate ${keyType}`,
    issuer: root.subject,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: algorithm,
    extensions: caExtensions(0),
  });
  const leafKeys = await newKeys();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '03',
    subject: `CN=pkcs12 test client ${keyType}`,
    issuer: intermediate.subject,
    publicKey: leafKeys.publicKey,
    signingKey: intermediateKeys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });

  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return {
    // @peculiar/x509 PEM has no trailing newline.
    keyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n`,
    certificatePems: [leaf, intermediate, root].map((cert) => `${cert.toString('pem')}\n`),
  };
}

let tmpDir: string;
const hierarchies = new Map<KeyType, Hierarchy>();
/** Path of the PFX written for each key type × flavour. */
const pfxFiles = new Map<string, string>();

beforeAll(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkcs12-test-'));
  for (const keyType of KEY_TYPES) {
    const hierarchy = await buildHierarchy(keyType);
    hierarchies.set(keyType, hierarchy);
    for (const flavour of FLAVOURS) {
      const file = path.join(tmpDir, `${keyType}-${flavour}.p12`);
      fs.writeFileSync(file, toPkcs12({ ...hierarchy, password: PASSWORD, flavour }));
      pfxFiles.set(`${keyType}-${flavour}`, file);
    }
  }
});

afterAll(() => {
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

function hierarchyOf(keyType: KeyType): Hierarchy {
  const hierarchy = hierarchies.get(keyType);
  if (!hierarchy) throw new Error(`no hierarchy for ${keyType}`);
  return hierarchy;
}

function pfxFile(keyType: KeyType, flavour: Pkcs12Flavour): string {
  const file = pfxFiles.get(`${keyType}-${flavour}`);
  if (!file) throw new Error(`no PFX for ${keyType}-${flavour}`);
  return file;
}

/** Plain OpenSSL 3 with its default provider only: no -legacy. */
function openssl(...args: string[]): string {
  const result = spawnSync('openssl', ['pkcs12', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl pkcs12 ${args.join(' ')} failed:\n${result.stderr}`);
  // -info writes its report to stderr.
  return `${result.stdout}${result.stderr}`;
}

function pemBlocks(text: string, label: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g')) ?? [];
}

const spkiOf = (key: ReturnType<typeof createPublicKey>): Buffer => key.export({ type: 'spki', format: 'der' });
const sha1Hex = (der: Buffer): string => createHash('sha1').update(der).digest('hex').toUpperCase();

describe.each(KEY_TYPES)('toPkcs12 with a %s key', (keyType) => {
  describe.each(FLAVOURS)("flavour '%s'", (flavour) => {
    it('holds the leaf, intermediate and root certificates, in that order, readable by OpenSSL 3 without -legacy', () => {
      const out = openssl('-in', pfxFile(keyType, flavour), '-passin', `pass:${PASSWORD}`, '-nokeys');
      const certs = pemBlocks(out, 'CERTIFICATE').map((pem) => new X509Certificate(pem).raw);
      const expected = hierarchyOf(keyType).certificatePems.map((pem) => new X509Certificate(pem).raw);
      expect(certs).toHaveLength(3);
      expect(certs).toEqual(expected);
    });

    it('holds the private key of the leaf certificate', () => {
      const out = openssl('-in', pfxFile(keyType, flavour), '-passin', `pass:${PASSWORD}`, '-nocerts', '-nodes');
      const keys = pemBlocks(out, 'PRIVATE KEY');
      expect(keys).toHaveLength(1);
      const leaf = new X509Certificate(hierarchyOf(keyType).certificatePems[0] ?? '');
      expect(spkiOf(createPublicKey(createPrivateKey(keys[0] ?? '')))).toEqual(spkiOf(leaf.publicKey));
    });

    it('tags the key and the leaf with localKeyId = SHA-1 of the leaf and the default friendlyName', () => {
      const out = openssl('-in', pfxFile(keyType, flavour), '-passin', `pass:${PASSWORD}`, '-nodes');
      const leafDer = new X509Certificate(hierarchyOf(keyType).certificatePems[0] ?? '').raw;
      const localKeyId = sha1Hex(leafDer).replace(/(..)(?!$)/g, '$1 ');
      // One attribute block for the leaf's cert bag, one for the key bag; none for the chain.
      expect(out.match(new RegExp(`localKeyID: ${localKeyId}`, 'g'))).toHaveLength(2);
      expect(out.match(/friendlyName: lean-mock/g)).toHaveLength(2);
    });

    it('uses the algorithms the flavour promises, and never RC2', () => {
      const info = openssl('-info', '-noout', '-in', pfxFile(keyType, flavour), '-passin', `pass:${PASSWORD}`);
      if (flavour === 'aes256') {
        expect(info).toMatch(/MAC: sha256, Iteration 2048/);
        expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
      } else {
        expect(info).toMatch(/MAC: sha1, Iteration 2048/);
        expect(info).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
      }
      expect(info).not.toMatch(/RC2/i);
    });

    it("is accepted by Node's TLS stack with the right passphrase and refused with a wrong one", () => {
      const pfx = fs.readFileSync(pfxFile(keyType, flavour));
      expect(() => tls.createSecureContext({ pfx, passphrase: PASSWORD })).not.toThrow();
      expect(() => tls.createSecureContext({ pfx, passphrase: 'wrong' })).toThrow();
    });

    it.skipIf(!hasKeytool)('is one PrivateKeyEntry with a certificate chain of length 3 for Java keytool', () => {
      const out = execFileSync(
        'keytool',
        ['-list', '-v', '-keystore', pfxFile(keyType, flavour), '-storetype', 'PKCS12', '-storepass', PASSWORD],
        { encoding: 'utf8' },
      );
      expect(out).toMatch(/Your keystore contains 1 entry/);
      expect(out.match(/Entry type: PrivateKeyEntry/g)).toHaveLength(1);
      expect(out).toMatch(/Certificate chain length: 3/);
    });
  });
});

describe('toPkcs12 options and input checks', () => {
  const write = (name: string, pfx: Buffer): string => {
    const file = path.join(tmpDir, name);
    fs.writeFileSync(file, pfx);
    return file;
  };

  it("defaults to the 'aes256' flavour", () => {
    const file = write('default.p12', toPkcs12({ ...hierarchyOf('ec'), password: PASSWORD }));
    const info = openssl('-info', '-noout', '-in', file, '-passin', `pass:${PASSWORD}`);
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
  });

  it('sets a given friendlyName on the key and the leaf', () => {
    const file = write('named.p12', toPkcs12({ ...hierarchyOf('ec'), password: PASSWORD, friendlyName: 'acme client' }));
    const out = openssl('-in', file, '-passin', `pass:${PASSWORD}`, '-nodes');
    expect(out.match(/friendlyName: acme client/g)).toHaveLength(2);
  });

  it.each(FLAVOURS)("takes a non-ASCII password as UTF-8, as OpenSSL and Node do ('%s')", (flavour) => {
    const password = 'pässwörd-€';
    const pfx = toPkcs12({ ...hierarchyOf('rsa'), password, flavour });
    const out = openssl('-in', write(`utf8-${flavour}.p12`, pfx), '-passin', `pass:${password}`, '-nokeys');
    expect(pemBlocks(out, 'CERTIFICATE')).toHaveLength(3);
    expect(() => tls.createSecureContext({ pfx, passphrase: password })).not.toThrow();
  });

  it('salts every bundle afresh, so two bundles of the same input differ', () => {
    const input = { ...hierarchyOf('ec'), password: PASSWORD };
    expect(toPkcs12(input).equals(toPkcs12(input))).toBe(false);
  });

  it('refuses a key that does not belong to the leaf', () => {
    const { keyPem } = hierarchyOf('rsa');
    const { certificatePems } = hierarchyOf('ec');
    expect(() => toPkcs12({ keyPem, certificatePems, password: PASSWORD })).toThrow(/does not belong to the leaf/);
  });

  it('refuses an entry holding several certificates, which would silently lose all but the first', () => {
    const { keyPem, certificatePems } = hierarchyOf('ec');
    const bundle = certificatePems.join('');
    expect(() => toPkcs12({ keyPem, certificatePems: [bundle], password: PASSWORD })).toThrow(/exactly one PEM certificate/);
  });

  it('refuses an empty certificate list', () => {
    const { keyPem } = hierarchyOf('ec');
    expect(() => toPkcs12({ keyPem, certificatePems: [], password: PASSWORD })).toThrow(/leaf/);
  });
});
