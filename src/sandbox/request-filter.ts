import type { RequestBody, RequestRecord } from '../gateway/journal.js';
import { compilePathPattern } from './faults/path-pattern.js';

/**
 * Which journaled requests to list (`GET /admin/v1/requests?…`, `mock.requests(…)`); every field
 * narrows, absent ones match anything.
 */
export interface RequestFilter {
  /** Any letter case: `post` finds `POST`. */
  method?: string;
  /**
   * The path without its query string: exact, or a glob where `*` stands for any run of characters,
   * `/` included (one `*` in place of the id of `/data/v2/accounts/<id>/balance` covers every
   * account). As fault and override paths: any letter case, a trailing slash ignored.
   */
  path?: string;
  /** A status (`201`) or a class (`'4xx'`). 499: the client went away before the reply. */
  status?: number | string;
  /** The app the request was made as (by its token or certificate), by name. */
  app?: string;
}

/** A request body as listed: the journal's, plus the parsed value when it is JSON. */
export interface ListedRequestBody<TJson = unknown> extends RequestBody {
  /** `text` parsed, when the content type is JSON and the text was kept; absent otherwise. */
  json?: TJson;
}

/** A journaled request as the admin API and `mock.requests()` list it. */
export interface ListedRequest<TJson = unknown> extends Omit<RequestRecord, 'body'> {
  body: ListedRequestBody<TJson> | null;
}

/** A filter field with a value that cannot match anything meaningful: the admin API answers 400 naming it. */
export class RequestFilterError extends Error {
  override name = 'RequestFilterError';
  constructor(
    readonly parameter: keyof RequestFilter,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${parameter} ${reason}, not ${JSON.stringify(value)?.slice(0, 100)}`);
  }
}

const METHOD = /^[A-Za-z]{1,16}$/;
const STATUS = /^[1-5]\d\d$/;
const STATUS_CLASS = /^[1-5]xx$/i;
// A path as a client sends it: no query, fragment, space or control character.
const PATH = /^\/[^?#\s\u0000-\u001f\u007f]{0,2047}$/;

/** The test `filter` stands for; throws a {@link RequestFilterError} for a malformed field. */
export function compileRequestFilter(filter: RequestFilter): (record: RequestRecord) => boolean {
  const tests: ((record: RequestRecord) => boolean)[] = [];
  const { method, path, status, app } = filter;
  if (method !== undefined) {
    if (typeof method !== 'string' || !METHOD.test(method)) throw new RequestFilterError('method', method, 'must be an HTTP method such as GET or post');
    const wanted = method.toUpperCase();
    tests.push((record) => record.method.toUpperCase() === wanted);
  }
  if (path !== undefined) {
    if (typeof path !== 'string' || !PATH.test(path)) throw new RequestFilterError('path', path, 'must be a path starting with / (a * matches any run of characters), without a query string');
    const pattern = compilePathPattern(path);
    tests.push((record) => pattern.test(record.path.replace(/\/+$/, '') || '/'));
  }
  if (status !== undefined) tests.push(statusTest(status));
  if (app !== undefined) {
    if (typeof app !== 'string' || app.length === 0 || app.length > 128) throw new RequestFilterError('app', app, 'must be an app name');
    tests.push((record) => record.app === app);
  }
  return (record) => tests.every((test) => test(record));
}

function statusTest(status: unknown): (record: RequestRecord) => boolean {
  const text = typeof status === 'number' && Number.isInteger(status) ? String(status) : status;
  if (typeof text === 'string' && STATUS.test(text)) return (record) => record.status === Number(text);
  if (typeof text === 'string' && STATUS_CLASS.test(text)) {
    const hundreds = Number(text[0]);
    return (record) => Math.floor(record.status / 100) === hundreds;
  }
  throw new RequestFilterError('status', status, 'must be a status such as 201 or a class such as 4xx');
}

/** `record` as listed: JSON bodies parsed, the path shown through `redactPath` (secrets a client put in it). */
export function listedRequest<TJson = unknown>(record: RequestRecord, redactPath: (path: string) => string = (path) => path): ListedRequest<TJson> {
  return { ...record, path: redactPath(record.path), body: listedBody<TJson>(record.body) };
}

function listedBody<TJson>(body: RequestBody | null): ListedRequestBody<TJson> | null {
  if (body === null || body.text === null || body.content_type === null || !/^application\/([\w.+-]*\+)?json\b/i.test(body.content_type)) return body;
  try {
    return { ...body, json: JSON.parse(body.text) as TJson };
  } catch {
    // A JSON body is kept as the server parsed and re-serialised it: this is only for a caller's own records.
    return body;
  }
}
