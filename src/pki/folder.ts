import { readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CatalogueVariant } from './catalogue.js';
import { describeCertificate, type IssuedCertificate } from './describe.js';
import { certificateAndChain, defaultApp, lazyServerVariants, type AppIdentity, type AuthorityMaterial, type LeanPki } from './lean-pki.js';
import { MANIFEST_VERSION, manifestSchema, type ManifestFile, type PkiManifest } from './manifest.js';
import { joinPem, splitPem } from './pem.js';
import type { Pkcs12Input } from './pkcs12.js';
import type { ServerVariant } from './server-variants/build.js';
import { FOLDER_MODE, PUBLIC_MODE, SECRET_MODE, stagingFolderFor, swapIntoPlace, sweepAbandoned } from './safe-files.js';

/** Why a certificate folder could not be written or read; `message` is one line for a person. */
export class PkiFolderError extends Error {
  constructor(
    /** `taken`: `replace: false` and another writer put a folder at `dir` first. */
    readonly code: 'not_empty' | 'invalid' | 'io' | 'taken',
    message: string,
  ) {
    super(message);
    this.name = 'PkiFolderError';
  }
}

interface PlannedFile extends ManifestFile {
  contents: string | Buffer;
}

/**
 * Writes the PKI as the folder Lean's portal users know (DESIGN.md §2.2), plus `manifest.json`.
 * Refuses a non-empty folder unless `force`. The whole folder is written beside `dir` and renamed
 * into place, so `dir` is never half-written (a crash leaves no CA key in it), and whatever stood
 * at `dir` (files, or a symlink planted there) is replaced, never written through. Keys and the
 * manifest end 0600 and folders 0700 whatever the umask. `replace: false` fails with `EEXIST` or
 * `ENOTEMPTY` (code `io`) when `dir` exists, for a caller racing other processes.
 */
export async function writePkiFolder(
  pki: LeanPki,
  dir: string,
  options: { force?: boolean; replace?: boolean } = {},
): Promise<PkiManifest> {
  if (!options.force && (await isNonEmptyFolder(dir))) {
    throw new PkiFolderError('not_empty', `${dir} already exists and is not empty (use --force to overwrite it)`);
  }
  // Loaded here, not at import: reading a folder back (all `serve` does) never writes a PKCS#12.
  const { toPkcs12 } = await import('./pkcs12.js');
  const { files, manifest } = planFolder(pki, await pki.serverVariants(), toPkcs12);
  let staging: string | undefined;
  try {
    await ensureFolder(dirname(dir), FOLDER_MODE);
    await sweepAbandoned(dir);
    staging = await stagingFolderFor(dir);
    const folders = new Set<string>();
    for (const file of files) {
      const target = join(staging, file.path);
      const mode = file.secret ? SECRET_MODE : PUBLIC_MODE;
      folders.add(dirname(target));
      await ensureFolder(dirname(target), FOLDER_MODE);
      await writeFile(target, file.contents, { mode, flag: 'wx' });
      await chmod(target, mode); // the umask may have narrowed or (umask 0) not touched it
    }
    for (const folder of folders) await chmod(folder, FOLDER_MODE);
    const manifestPath = join(staging, 'manifest.json'); // it holds client secrets
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: SECRET_MODE, flag: 'wx' });
    await chmod(manifestPath, SECRET_MODE);
    await swapIntoPlace(staging, dir, options.replace ?? true);
    staging = undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const taken = code === 'EEXIST' || code === 'ENOTEMPTY';
    throw new PkiFolderError(taken ? 'taken' : 'io', `cannot write ${dir}: ${ioMessage(error)}`);
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
  return manifest;
}

/** Reads a folder written by {@link writePkiFolder} back into memory. */
export async function readPkiFolder(dir: string): Promise<{ pki: LeanPki; manifest: PkiManifest }> {
  const manifestPath = join(dir, 'manifest.json');
  let raw: string;
  try {
    raw = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new PkiFolderError('invalid', `${dir} is not a lean-mock certificate folder: ${ioMessage(error)}`);
  }
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(raw);
  } catch {
    throw new PkiFolderError('invalid', `${manifestPath} is not valid JSON`);
  }
  // Parsed once per folder read: zod's compiled fast path costs more to generate than it saves here.
  const parsed = manifestSchema.safeParse(parsedJson, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new PkiFolderError('invalid', `${manifestPath} is not a lean-mock ${MANIFEST_VERSION} manifest: ${where}: ${issue?.message}`);
  }
  const manifest = parsed.data;
  // Read synchronously: some forty small files, each an event-loop turn through the thread pool
  // when read asynchronously, were ~10 ms of every `serve --certs` start; read in turn, ~1 ms.
  const text = (path: string): string => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch (error) {
      throw new PkiFolderError('invalid', `${dir} is incomplete: ${ioMessage(error)}`);
    }
  };
  const credential = (certPath: string, keyPath: string): IssuedCertificate => {
    const certificatePem = text(certPath);
    return { certificatePem, privateKeyPem: text(keyPath), ...describeCertificate(certificatePem) };
  };
  const authority = (entry: PkiManifest['ca']['root']): AuthorityMaterial => ({
    certificatePem: text(entry.cert),
    privateKeyPem: text(entry.key),
    crlPem: text(entry.crl),
  });

  const intermediate = authority(manifest.ca.intermediate);
  const partnerIntermediate = authority(manifest.ca.partner_intermediate);
  const server = { ...credential(manifest.server.cert, manifest.server.key), hosts: manifest.server.hosts };
  const createdAt = new Date(manifest.created_at);
  const written = manifest.server_variants;
  // Read on first use, like the building kind: serving a folder reads only what it serves.
  let serverVariants: Promise<readonly ServerVariant[]> | undefined;
  const readServerVariants = written
    ? () =>
        // A promise, as the building kind's: a missing file rejects it rather than throwing.
        (serverVariants ??= Promise.resolve().then(() =>
          written.map(
            (entry): ServerVariant => ({
              name: entry.name,
              description: entry.description,
              mustRefuse: entry.must_refuse,
              expectedClientError: { message: entry.expected_client_error.message, code: entry.expected_client_error.code, nodeCode: entry.expected_client_error.node_code, alert: entry.expected_client_error.alert },
              credential: credential(entry.files.cert, entry.files.key),
              chainPems: entry.files.chain ? splitPem(text(entry.files.chain)) : [],
              ...(entry.files.crl ? { crlPem: text(entry.files.crl) } : {}),
            }),
          ),
        ))
    : lazyServerVariants({ keyType: manifest.key_type, createdAt, intermediate, partnerIntermediate, hosts: server.hosts });

  const pki: LeanPki = {
    keyType: manifest.key_type,
    createdAt,
    validUntil: new Date(manifest.valid_until),
    p12Password: manifest.p12_password,
    root: authority(manifest.ca.root),
    intermediate,
    partnerIntermediate,
    rogueRootPem: text(manifest.ca.rogue_root.cert),
    chainPem: text(manifest.trust.chain),
    crlsPem: text(manifest.trust.crls),
    server,
    apps: manifest.apps.map((app) => ({
      name: app.name,
      appToken: app.app_token,
      clientId: app.client_id,
      clientSecret: app.client_secret,
      webhookSecret: app.webhook_secret,
      credential: credential(app.cert, app.key),
    })),
    variants: manifest.variants.map((variant): CatalogueVariant => {
      const { cert, key, chain } = variant.files;
      return {
        name: variant.name,
        expected: variant.expected,
        rejectedBy: variant.rejected_by,
        description: variant.description,
        fix: variant.fix,
        ...(cert && key ? { credential: credential(cert, key) } : {}),
        ...(chain ? { chainPems: splitPem(text(chain)) } : {}),
      };
    }),
    serverVariants: readServerVariants,
  };
  return { pki, manifest };
}

/** Every file of the folder and the manifest that describes them, from one table. */
function planFolder(
  pki: LeanPki,
  serverVariants: readonly ServerVariant[],
  toPkcs12: (input: Pkcs12Input) => Buffer,
): { files: PlannedFile[]; manifest: PkiManifest } {
  const files: PlannedFile[] = [];
  const add = (path: string, contents: string | Buffer, description: string, secret = false): string => {
    files.push({ path, contents, description, secret });
    return path;
  };
  const p12 = (app: AppIdentity, flavour: 'aes256' | '3des'): Buffer =>
    toPkcs12({
      keyPem: app.credential.privateKeyPem,
      certificatePems: [app.credential.certificatePem, pki.intermediate.certificatePem, pki.root.certificatePem],
      password: pki.p12Password,
      flavour,
      friendlyName: app.name,
    });

  const trust = {
    chain: add('lean_public_cert_chain.pem', pki.chainPem, 'Intermediate + root CA: what clients trust, as Lean gives it'),
    crls: add('ca/crls.pem', pki.crlsPem, 'Every CRL the server loads (root, intermediate, partner intermediate)'),
  };
  const authority = (name: string, label: string, material: AuthorityMaterial): PkiManifest['ca']['root'] => ({
    cert: add(`ca/${name}.crt`, material.certificatePem, `${label} certificate`),
    key: add(`ca/${name}_key.pem`, material.privateKeyPem, `${label} private key`, true),
    crl: add(`ca/${name}.crl`, material.crlPem, `${label} certificate revocation list`),
    ...facts(describeCertificate(material.certificatePem)),
  });
  const ca: PkiManifest['ca'] = {
    root: authority('root', 'Root CA', pki.root),
    intermediate: authority('intermediate', 'Issuing (intermediate) CA', pki.intermediate),
    partner_intermediate: authority(
      'partner_intermediate',
      'Second intermediate CA, never held by the server (see bad/incomplete_chain)',
      pki.partnerIntermediate,
    ),
    rogue_root: { cert: add('ca/rogue_root.crt', pki.rogueRootPem, 'An untrusted root CA (see bad/unknown_ca)') },
  };

  const server: PkiManifest['server'] = {
    cert: add('server/cert.crt', pki.server.certificatePem, 'The mock server certificate'),
    key: add('server/key.pem', pki.server.privateKeyPem, 'The mock server private key', true),
    cert_and_chain: add(
      'server/cert_and_chain.crt',
      certificateAndChain(pki, pki.server),
      'Server certificate + intermediate: what the server sends',
    ),
    hosts: [...pki.server.hosts],
    ...facts(pki.server),
  };

  const main = defaultApp(pki);
  const apps: PkiManifest['apps'] = pki.apps.map((app) => {
    const isDefault = app === main;
    const name = (file: string, topLevel: string): string => (isDefault ? topLevel : `apps/${app.name}/${file}`);
    const label = `${app.name}'s`;
    return {
      name: app.name,
      default: isDefault,
      app_token: app.appToken,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      webhook_secret: app.webhookSecret,
      cert: add(name('cert.crt', 'my_app_cert.crt'), app.credential.certificatePem, `${label} client certificate (leaf only)`),
      key: add(name('key.pem', 'my_app_private_key.pem'), app.credential.privateKeyPem, `${label} private key`, true),
      cert_and_chain: add(
        name('cert_and_chain.crt', 'my_app_cert_and_chain.crt'),
        certificateAndChain(pki, app.credential),
        `${label} client certificate + intermediate (for Go clients)`,
      ),
      p12: add(
        name('app.p12', 'my_app.p12'),
        p12(app, 'aes256'),
        `${label} key + certificate + chain, PKCS#12 AES-256 (password: p12_password)`,
        true,
      ),
      p12_3des: add(
        name('app_3des.p12', 'my_app_3des.p12'),
        p12(app, '3des'),
        `${label} PKCS#12 in the 3DES/SHA-1 flavour older .NET reads`,
        true,
      ),
      ...facts(app.credential),
    };
  });

  const variants: PkiManifest['variants'] = pki.variants.map((variant) => ({
    name: variant.name,
    expected: variant.expected,
    rejected_by: variant.rejectedBy,
    description: variant.description,
    fix: variant.fix,
    files: variantFiles(variant, add),
    ...(variant.credential ? facts(variant.credential) : {}),
  }));

  const server_variants: NonNullable<PkiManifest['server_variants']> = serverVariants.map((variant) => {
    const base = `bad_server/${variant.name}`;
    return {
      name: variant.name,
      description: variant.description,
      must_refuse: variant.mustRefuse,
      expected_client_error: wireError(variant.expectedClientError),
      files: {
        cert: add(`${base}/cert.crt`, variant.credential.certificatePem, `${variant.name}: server certificate (leaf)`),
        key: add(`${base}/key.pem`, variant.credential.privateKeyPem, `${variant.name}: server private key`, true),
        ...(variant.chainPems.length
          ? { chain: add(`${base}/chain.crt`, joinPem(variant.chainPems), `${variant.name}: what the server sends after the leaf`) }
          : {}),
        ...(variant.crlPem ? { crl: add(`${base}/crl.pem`, variant.crlPem, `${variant.name}: the CRL that revokes it`) } : {}),
      },
      ...facts(variant.credential),
    };
  });

  const manifest: PkiManifest = {
    lean_mock_pki: MANIFEST_VERSION,
    created_at: pki.createdAt.toISOString(),
    valid_until: pki.validUntil.toISOString(),
    key_type: pki.keyType,
    p12_password: pki.p12Password,
    trust,
    ca,
    server,
    apps,
    variants,
    server_variants,
    files: [
      ...files.map(({ path, description, secret }) => ({ path, description, secret })),
      { path: 'manifest.json', description: 'This description of the folder (holds client secrets)', secret: true },
    ],
  };
  return { files, manifest };
}

function variantFiles(
  variant: CatalogueVariant,
  add: (path: string, contents: string, description: string, secret?: boolean) => string,
): PkiManifest['variants'][number]['files'] {
  if (!variant.credential) return {};
  const base = `bad/${variant.name}`;
  const files: PkiManifest['variants'][number]['files'] = {
    cert: add(`${base}/cert.crt`, variant.credential.certificatePem, `${variant.name}: client certificate`),
    key: add(`${base}/key.pem`, variant.credential.privateKeyPem, `${variant.name}: private key`, true),
  };
  if (variant.chainPems?.length) {
    files.chain = add(`${base}/chain.crt`, joinPem(variant.chainPems), `${variant.name}: the intermediate to send along`);
    files.cert_and_chain = add(
      `${base}/cert_and_chain.crt`,
      joinPem([variant.credential.certificatePem, ...variant.chainPems]),
      `${variant.name}: leaf + intermediate (accepted)`,
    );
  }
  return files;
}

function wireError(error: ServerVariant['expectedClientError']): NonNullable<PkiManifest['server_variants']>[number]['expected_client_error'] {
  return { message: error.message, code: error.code, node_code: error.nodeCode, alert: error.alert };
}

function facts(certificate: Omit<IssuedCertificate, 'certificatePem' | 'privateKeyPem'>) {
  return {
    subject: certificate.subject,
    serial: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    not_before: certificate.notBefore.toISOString(),
    not_after: certificate.notAfter.toISOString(),
  };
}

/**
 * `mkdir -p`, one level at a time: Node's own `recursive: true` spins forever on some paths the
 * kernel refuses (e.g. under /proc), and a CLI must fail, not hang.
 */
export async function ensureFolder(dir: string, mode?: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await ensureFolder(parent, mode);
    await mkdir(dir, { mode }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

async function isNonEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new PkiFolderError('io', `${dir} or one of its parents is not a folder`);
    }
    throw new PkiFolderError('io', `cannot read ${dir}: ${ioMessage(error)}`);
  }
}

function ioMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const path = (error as NodeJS.ErrnoException).path;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied${path ? ` (${path})` : ''}`;
  if (code === 'ENOENT') return `no such file or folder${path ? ` (${path})` : ''}`;
  if (code === 'ENOTDIR') return `not a folder${path ? ` (${path})` : ''}`;
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on device';
  return error instanceof Error ? error.message : String(error);
}
