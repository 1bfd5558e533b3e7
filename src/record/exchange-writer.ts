import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor } from '../inspector/redact.js';
import { PUBLIC_MODE, writeFileSafely } from '../pki/safe-files.js';
import {
  EXCHANGE_FORMAT,
  RECORDED_RESPONSE_HEADERS,
  exchangeFileName,
  queryObject,
  storeBody,
  type ExchangeFile,
} from './exchange-file.js';

export interface Exchange {
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly target: string;
  /** As forwarded (credentials included: they are redacted here). */
  readonly requestHeaders: Record<string, string | string[] | number | undefined>;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly responseHeaders: Record<string, string | string[] | undefined>;
  readonly responseBody: Buffer;
}

export interface ExchangeWriter {
  /** Writes one exchange, secrets redacted; resolves with the file's name once it is on disk. */
  write(exchange: Exchange): Promise<string>;
}

export interface ExchangeWriterOptions {
  readonly dir: string;
  readonly upstream: string;
  /** Every secret value in play at the moment of writing (the user's and the mock's tokens, OAuth tokens issued so far). */
  readonly secrets: () => readonly string[];
  readonly clock: () => Date;
}

/**
 * One file per exchange, numbered in the order the replies came back, continuing after the
 * highest number already in the folder (a second session adds to the first). Files are written
 * whole (rename into place): a replay never reads half a file.
 */
export async function createExchangeWriter(options: ExchangeWriterOptions): Promise<ExchangeWriter> {
  await mkdir(options.dir, { recursive: true });
  const existing = (await readdir(options.dir)).map((name) => /^(\d+)-/.exec(name)?.[1]).filter((n): n is string => n !== undefined);
  let sequence = Math.max(0, ...existing.map(Number));

  return {
    async write(exchange) {
      const redactor = new Redactor(options.secrets());
      const mark = exchange.target.indexOf('?');
      const path = mark === -1 ? exchange.target : exchange.target.slice(0, mark);
      const search = mark === -1 ? '' : exchange.target.slice(mark + 1);
      const responseHeaders: Record<string, string> = {};
      for (const name of RECORDED_RESPONSE_HEADERS) {
        const value = exchange.responseHeaders[name];
        if (value !== undefined) responseHeaders[name] = redactor.text(Array.isArray(value) ? value.join(', ') : value);
      }
      const file: ExchangeFile = {
        lean_mock_exchange: EXCHANGE_FORMAT,
        recorded_at: options.clock().toISOString(),
        upstream: options.upstream,
        request: {
          method: exchange.method,
          path: redactor.text(path),
          query: redactor.json(queryObject(search)) as Record<string, string | string[]>,
          headers: redactor.headers(exchange.requestHeaders),
          ...storeBody(exchange.requestBody, (value) => redactor.json(value), (text) => redactor.rawText(text)),
        },
        response: {
          status: exchange.status,
          headers: responseHeaders,
          ...storeBody(exchange.responseBody, (value) => redactor.json(value), (text) => redactor.rawText(text)),
        },
      };
      const name = exchangeFileName(++sequence, exchange.method, path);
      await writeFileSafely(join(options.dir, name), `${JSON.stringify(file, null, 2)}\n`, PUBLIC_MODE);
      return name;
    },
  };
}
