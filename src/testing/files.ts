import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePkiFolder } from '../pki/folder.js';
import type { LeanPki } from '../pki/lean-pki.js';
import type { PkiManifest } from '../pki/manifest.js';

/** The certificate folder on disk, for clients in other processes and languages. */
export interface PkiFiles {
  /** Absolute path of the folder (`lean_public_cert_chain.pem`, `my_app_cert.crt`, `bad/…`, `manifest.json`). */
  readonly dir: string;
  /** What `manifest.json` holds: every path (relative to `dir`), app and variant. */
  readonly manifest: PkiManifest;
}

/** Writes the PKI's folder on first use only (most suites never need it), and removes it on `remove()`. */
export class TempPkiFolder {
  private written: Promise<PkiFiles> | undefined;
  private removed = false;

  constructor(private readonly pki: LeanPki) {}

  get(): Promise<PkiFiles> {
    if (this.removed) return Promise.reject(new Error('lean-mock/testing: files() after close()'));
    this.written ??= this.write();
    return this.written;
  }

  async remove(): Promise<void> {
    this.removed = true;
    const written = this.written;
    if (!written) return;
    // A write still in flight finishes first, so nothing lands after the folder is gone.
    const files = await written.catch(() => undefined);
    if (files) await rm(files.dir, { recursive: true, force: true });
  }

  private async write(): Promise<PkiFiles> {
    const dir = await mkdtemp(join(tmpdir(), 'lean-mock-certs-'));
    try {
      return { dir, manifest: await writePkiFolder(this.pki, dir) };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
}
