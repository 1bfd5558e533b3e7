/**
 * The peer mock servers (mountebank, WireMock, mockttp) live in bench/peers/, with their own
 * package.json and lock, and are installed there the first time a suite needs them: a
 * contributor's `npm install` stays free of their ~300 packages and of mockttp's engine warning.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export type PeerPackage = 'mountebank' | 'wiremock' | 'mockttp';

const PEERS_DIR = fileURLToPath(new URL('./peers/', import.meta.url));
export const PEER_MODULES = join(PEERS_DIR, 'node_modules');

let installing: Promise<void> | undefined;

/** Installs bench/peers/ from its lock (once per clone); resolves when every peer package is there. */
export function ensurePeersInstalled(): Promise<void> {
  const missing = (['mountebank', 'wiremock', 'mockttp'] as const).some((name) => !existsSync(join(PEER_MODULES, name, 'package.json')));
  if (!missing) return Promise.resolve();
  installing ??= (async () => {
    process.stderr.write('bench: installing the peer servers into bench/peers/ (once; npm ci) …\n');
    await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEERS_DIR, maxBuffer: 16 * 1024 * 1024 });
  })();
  return installing;
}

/** The installed version of a peer package, or `(not installed)`. */
export async function peerVersion(name: PeerPackage): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(PEER_MODULES, name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '(not installed)';
  }
}

/** Imports a peer package from bench/peers/node_modules (it is not resolvable from the project root). */
export async function importPeer<T>(name: PeerPackage): Promise<T> {
  const resolved = createRequire(join(PEERS_DIR, 'package.json')).resolve(name);
  return (await import(pathToFileURL(resolved).href)) as T;
}
