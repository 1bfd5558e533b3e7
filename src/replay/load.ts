import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXCHANGE_FORMAT, bodyBytes, type ExchangeFile, type StoredBody } from '../record/exchange-file.js';
import { TooDeep, normalPath, requestKey } from './match.js';

/** A replay folder that cannot be used: names the file and the JSON path at fault. */
export class ReplayFolderError extends Error {
  override name = 'ReplayFolderError';
}

export interface ReplayEntry {
  readonly file: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface ReplaySet {
  readonly dir: string;
  /** By request key (see requestKey); the first file recorded for a key answers it. */
  readonly entries: ReadonlyMap<string, ReplayEntry>;
  /** `METHOD path` of every entry: only such requests need their body read to be matched. */
  readonly routes: ReadonlySet<string>;
}

/** Largest exchange file read: a recorded reply is at most 16 MiB, and JSON may double it. */
const MAX_FILE_BYTES = 40 * 1024 * 1024;

/** Reads every `*.json` of `dir` as a recorded exchange; any bad one refuses the whole folder, naming it. */
export async function loadReplayFolder(dir: string): Promise<ReplaySet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new ReplayFolderError(`cannot read replay folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const entries = new Map<string, ReplayEntry>();
  const routes = new Set<string>();
  for (const name of names) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ReplayFolderError(`${path}: cannot read it (${error.code ?? error.message})`);
    });
    if (text.length > MAX_FILE_BYTES) throw new ReplayFolderError(`${path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ReplayFolderError(`${path}: not JSON (${(error as Error).message})`);
    }
    const exchange = checkExchange(parsed, path);
    let key: string;
    try {
      key = requestKey(exchange.request.method, exchange.request.path, exchange.request.query, requestBodyOf(exchange.request, path));
    } catch (error) {
      if (error instanceof TooDeep) throw new ReplayFolderError(`${path}: $.request.body: nested deeper than any request can be matched`);
      throw error;
    }
    routes.add(`${exchange.request.method} ${normalPath(exchange.request.path)}`);
    if (!entries.has(key)) {
      entries.set(key, { file: name, status: exchange.response.status, headers: exchange.response.headers, body: bodyBytes(exchange.response) });
    }
  }
  return { dir, entries, routes };
}

/** The request body as matching sees it: parsed JSON, or the text, or nothing. */
function requestBodyOf(request: StoredBody, path: string): unknown {
  if (request.body !== undefined) return request.body;
  if (request.body_text !== undefined) return request.body_text;
  if (request.body_base64 !== undefined) throw new ReplayFolderError(`${path}: $.request.body_base64: a binary request body cannot be matched`);
  return undefined;
}

function checkExchange(value: unknown, path: string): ExchangeFile {
  const fail = (at: string, what: string): never => {
    throw new ReplayFolderError(`${path}: ${at}: ${what}`);
  };
  const object = (at: string, item: unknown): Record<string, unknown> =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : fail(at, 'must be an object');
  const top = object('$', value);
  if (top.lean_mock_exchange !== EXCHANGE_FORMAT) fail('$.lean_mock_exchange', `must be ${EXCHANGE_FORMAT} (a file written by lean-mock record)`);
  const request = object('$.request', top.request);
  const response = object('$.response', top.response);
  if (typeof request.method !== 'string' || !/^[A-Z]{1,16}$/.test(request.method)) fail('$.request.method', 'must be an upper-case HTTP method');
  if (typeof request.path !== 'string' || !request.path.startsWith('/')) fail('$.request.path', 'must be a path starting with "/"');
  const query = object('$.request.query', request.query ?? {});
  for (const [name, item] of Object.entries(query)) {
    const ok = typeof item === 'string' || (Array.isArray(item) && item.every((part) => typeof part === 'string'));
    if (!ok) fail(`$.request.query.${name}`, 'must be a string or an array of strings');
  }
  const status = response.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) fail('$.response.status', 'must be an HTTP status from 100 to 599');
  const headers = object('$.response.headers', response.headers ?? {});
  for (const [name, item] of Object.entries(headers)) {
    if (typeof item !== 'string' || /[\r\n]/.test(item)) fail(`$.response.headers.${name}`, 'must be a string on one line');
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) fail(`$.response.headers.${name}`, 'is not a valid header name');
  }
  for (const [at, stored] of [['$.request', request], ['$.response', response]] as const) {
    const kinds = (['body', 'body_text', 'body_base64'] as const).filter((kind) => stored[kind] !== undefined);
    if (kinds.length > 1) fail(`${at}.${kinds[1]}`, `only one of body, body_text, body_base64 may be given (found ${kinds.join(', ')})`);
    if (stored.body_text !== undefined && typeof stored.body_text !== 'string') fail(`${at}.body_text`, 'must be a string');
    if (stored.body_base64 !== undefined && (typeof stored.body_base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(stored.body_base64))) {
      fail(`${at}.body_base64`, 'must be base64');
    }
  }
  return { ...(top as unknown as ExchangeFile), request: { ...(request as unknown as ExchangeFile['request']), query: query as Record<string, string | string[]> }, response: { ...(response as unknown as ExchangeFile['response']), headers: headers as Record<string, string> } };
}
