import type { LeanError, LeanErrorBody } from '../../app/errors.js';
import type { PageInfo } from '../pagination.js';

/**
 * The data API's reply shapes, field order as in Lean's examples (data.yml): v2 `{status,
 * results_id, message, meta, timestamp, status_detail, data, type, refreshed_at}`, v1 `{status,
 * payload, results_id, message, timestamp, meta}`, and errors with `results_id` first. A data
 * failure (reconnect, bank-side) is HTTP 200 with the status in the body, as at Lean.
 */

export type Body = Record<string, unknown>;
/** What the caller asked to store against the request (`?meta={"foo":"val"}`), echoed back. */
export type Meta = Record<string, string> | null;

/** What every reply of one request shares. */
export interface Stamp {
  resultsId: string;
  meta: Meta;
  timestamp: string;
}

export const DATA_MESSAGES = {
  ok: 'Data successfully retrieved',
  v2Pending: 'Please wait for a webhook or try again later.',
  v1Pending: 'Results not yet returned. Please try again later',
  reconnect: 'User input is required to reconnect with the bank',
  // Lean names the granular code (lean-api.md §4); the wording is ours (unconfirmed).
  permissions: 'The user did not grant the permission this data requires. Ask the user to connect again with it.',
} as const;

export const PERMISSIONS_NOT_GRANTED = 'USER_PERMISSIONS_NOT_GRANTED';
/** Lean's code and words for a bank that cannot serve data now (data.yml, BankIssueV2Example). */
export const BANK_ISSUE = 'BANK_ISSUE';
export const BANK_ISSUE_MESSAGE = 'Your bank is currently experiencing technological problems. Please try again later.';


/**
 * `data` of a v2 reply. Lean's examples order it three ways; the items key is the type with
 * `_` for `-` (`direct-debits` → `direct_debits`), except `identity`, which lists `identities`.
 */
export function v2Data(type: string, items: readonly unknown[], page: PageInfo, accountId?: string): Body {
  const key = type === 'identity' ? 'identities' : type.replaceAll('-', '_');
  // Lean's recorded standing orders carry `data.type` (its OpenAPI example does not).
  if (type === 'standing-orders') return { [key]: items, page, type };
  if (type === 'identities') return { account_id: accountId, [key]: items, page, type };
  // Lean's recorded entity identity names no account, but carries the key.
  if (type === 'identity') return { type, account_id: null, [key]: items, page };
  if (type === 'direct-debits') return { [key]: items, page, type };
  if (type === 'scheduled-payments') return { type, page, [key]: items };
  return { type, [key]: items, page };
}

export function v2Ok(stamp: Stamp, type: string, data: Body, refreshedAt: string): Body {
  return { ...v2Head('OK', stamp, DATA_MESSAGES.ok, null), data, type, refreshed_at: refreshedAt };
}

/**
 * The part of a v2 OK reply that one request does not change (`data`, `type`, `refreshed_at`), as
 * the bytes {@link v2OkBytes} appends to the request's head: a page served again is not
 * rebuilt or re-serialised. Together they are byte for byte `JSON.stringify(v2Ok(…))`.
 */
export function v2OkTail(type: string, data: Body, refreshedAt: string): Buffer {
  return Buffer.from(`,"data":${JSON.stringify(data)},"type":${JSON.stringify(type)},"refreshed_at":${JSON.stringify(refreshedAt)}}`);
}

export function v2OkBytes(stamp: Stamp, tail: Buffer): Buffer {
  const head = JSON.stringify(v2Head('OK', stamp, DATA_MESSAGES.ok, null));
  // The head object ends with `status_detail` and its closing brace, which the tail replaces.
  return Buffer.concat([Buffer.from(head.slice(0, -1)), tail]);
}

export function v2Pending(stamp: Stamp): Body {
  return { ...v2Head('PENDING', stamp, DATA_MESSAGES.v2Pending, null), data: null, type: null, refreshed_at: null };
}

/** Lean's v2 reconnect reply carries the reconnect id as its `results_id` (Lean's reconnect guide). */
export function v2Reconnect(stamp: Stamp, reconnectId: string): Body {
  const head = v2Head('RECONNECT_REQUIRED', { ...stamp, resultsId: reconnectId }, DATA_MESSAGES.reconnect, null);
  return { ...head, data: null, type: null, refreshed_at: null };
}

export function v2Failed(stamp: Stamp, code: string, info: string): Body {
  const detail = { granular_status_code: code, status_additional_info: info };
  return { ...v2Head('FAILED', stamp, info, detail), data: null, type: null, refreshed_at: null };
}

function v2Head(status: string, stamp: Stamp, message: string, detail: Body | null): Body {
  return { status, results_id: stamp.resultsId, message, meta: stamp.meta, timestamp: stamp.timestamp, status_detail: detail };
}

export function v1Ok(stamp: Stamp, payload: Body): Body {
  return v1('OK', stamp, payload, DATA_MESSAGES.ok);
}

export function v1Pending(stamp: Stamp): Body {
  return v1('PENDING', stamp, null, DATA_MESSAGES.v1Pending);
}

/** Lean's v1 reconnect reply (ReconnectRequestIdPayloadDto): the id travels in the payload. */
export function v1Reconnect(stamp: Stamp, reconnectId: string): Body {
  return v1('RECONNECT_REQUIRED', stamp, { reconnect_id: reconnectId, type: 'reconnect' }, DATA_MESSAGES.reconnect);
}

export function v1Failed(stamp: Stamp, code: string, info: string): Body {
  return { ...v1('FAILED', stamp, null, info), status_detail: { granular_status_code: code, status_additional_info: info } };
}

function v1(status: string, stamp: Stamp, payload: Body | null, message: string): Body {
  return { status, payload, results_id: stamp.resultsId, message, timestamp: stamp.timestamp, meta: stamp.meta };
}

/** The reply envelopes of one API version, for the code both versions share. */
export interface EnvelopeStyle {
  pending(stamp: Stamp): Body;
  /** v2 answers an accepted async request with 202 (data.yml); v1 with 200 (unconfirmed). */
  pendingHttpStatus: number;
  reconnect(stamp: Stamp, reconnectId: string): Body;
  failed(stamp: Stamp, code: string, info: string): Body;
}

export const V2_STYLE: EnvelopeStyle = { pending: v2Pending, pendingHttpStatus: 202, reconnect: v2Reconnect, failed: v2Failed };
export const V1_STYLE: EnvelopeStyle = { pending: v1Pending, pendingHttpStatus: 200, reconnect: v1Reconnect, failed: v1Failed };

/** A data-API error: Lean's error envelope with the request's `results_id` first. */
export function dataErrorBody(resultsId: string, error: LeanError, now: Date): LeanErrorBody {
  return { results_id: resultsId, ...error.body(now) };
}
