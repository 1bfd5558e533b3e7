import { readFile } from 'node:fs/promises';
import { Router, type Response } from 'express';
import { LeanError } from '../app/errors.js';

/** Beside this module in src/ (tsx, vitest) and in dist/ (copied by scripts/copy-static.mjs). */
const PAGE_DIR = new URL('./page/', import.meta.url);

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Only the page's own files: no inline script or style, nothing from elsewhere, no framing. */
export const PAGE_CSP = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function sendFile(res: Response, name: string): Promise<void> {
  const extension = /^[a-z0-9-]{1,40}\.(html|css|js|svg)$/.exec(name)?.[1];
  let content: Buffer;
  try {
    if (!extension) throw new Error('not a page file');
    content = await readFile(new URL(name, PAGE_DIR));
  } catch {
    throw LeanError.of('INVALID_URL');
  }
  res.set({
    'content-type': TYPES[extension]!,
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    // Read from disk on every request: small files, and an edited page shows on reload.
    'cache-control': 'no-cache',
  });
  res.send(content);
}

/** `GET /`: the inspector page; `GET /inspector/<file>`: its stylesheet, scripts and icon. */
export function createPageRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => sendFile(res, 'index.html'));
  router.get('/inspector/:file', (req, res) => sendFile(res, String(req.params.file)));
  return router;
}
