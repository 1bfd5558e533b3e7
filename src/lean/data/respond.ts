import type { ErrorRequestHandler, Response } from 'express';
import { LeanError } from '../../app/errors.js';
import { isBankAvailable } from '../../sandbox/availability/availability.js';
import { hasPermission, reconnectIdOf } from '../../sandbox/data-access.js';
import { holdResult } from '../../sandbox/results.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import type { Entity, EntityPermissions } from '../../sandbox/store/records.js';
import {
  BANK_ISSUE,
  BANK_ISSUE_MESSAGE,
  DATA_MESSAGES,
  PERMISSIONS_NOT_GRANTED,
  dataErrorBody,
  type Body,
  type EnvelopeStyle,
  type Meta,
  type Stamp,
} from './envelopes.js';

/**
 * What every data call does once its input is valid and its entity and account exist, in both
 * API versions: a bank unavailable for data (Lean took it offline, or the app disabled it)
 * answers FAILED with BANK_ISSUE, a session needing the user answers RECONNECT_REQUIRED, a
 * permission the user did not grant answers FAILED, otherwise the data — at once, or held back
 * for `async`.
 */

export interface DataDeps {
  store: SandboxStore;
  /** How long an async result stays PENDING. */
  resultDelayMs: number;
}

export interface DataCall {
  app: string;
  entity: Entity;
  permission: keyof EntityPermissions;
  async: boolean;
  meta: Meta;
  style: EnvelopeStyle;
}

/**
 * `okBytes`, when given, answers a synchronous call with bytes equal to `JSON.stringify(ok(stamp))`
 * (a cached page); `ok` still builds the body an async call holds back.
 */
export function answerData(
  res: Response,
  deps: DataDeps,
  call: DataCall,
  ok: (stamp: Stamp) => Body,
  okBytes?: (stamp: Stamp) => Buffer,
): void {
  const { store, resultDelayMs } = deps;
  const stamp = newStamp(store, call.meta);
  // First: Lean refuses before it reaches the bank, so not even the session is looked at.
  if (!isBankAvailable(store, call.app, call.entity.bank_identifier, 'data')) {
    res.json(call.style.failed(stamp, BANK_ISSUE, BANK_ISSUE_MESSAGE));
    return;
  }
  const reconnectId = reconnectIdOf(store, call.app, call.entity.id);
  if (reconnectId) {
    res.json(call.style.reconnect(stamp, reconnectId));
    return;
  }
  if (!hasPermission(call.entity, call.permission)) {
    res.json(call.style.failed(stamp, PERMISSIONS_NOT_GRANTED, DATA_MESSAGES.permissions));
    return;
  }
  if (!call.async && okBytes) {
    // What res.json would send for the same body: its content type, the same bytes.
    res.set('content-type', 'application/json; charset=utf-8').send(okBytes(stamp));
    return;
  }
  const body = ok(stamp);
  if (!call.async) {
    res.json(body);
    return;
  }
  const pending = call.style.pending(stamp);
  holdResult(store, call.app, { results_id: stamp.resultsId, entity_id: call.entity.id, pending, ready: body }, resultDelayMs);
  res.status(call.style.pendingHttpStatus).json(pending);
}

/** What every reply of one data request shares: a fresh `results_id`, the caller's meta, now. */
export function newStamp(store: SandboxStore, meta: Meta): Stamp {
  return { resultsId: store.newId(), meta, timestamp: store.now().toISOString() };
}

/**
 * Whether {@link answerData} answers `call` with its data at once (no bank issue, no reconnect,
 * the permission granted, not async). Reads only: a fast read asks before it answers.
 */
export function answersWithData(store: SandboxStore, call: DataCall): boolean {
  return (
    !call.async &&
    isBankAvailable(store, call.app, call.entity.bank_identifier, 'data') &&
    reconnectIdOf(store, call.app, call.entity.id) === null &&
    hasPermission(call.entity, call.permission)
  );
}

/**
 * Ends each data router: its Lean errors carry a `results_id` first, as Lean's data API does.
 * Anything else (a body that is not JSON …) goes on to the app's own error handler.
 */
export function dataErrors(store: SandboxStore, withoutResultsId: ReadonlySet<string> = new Set()): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (!(error instanceof LeanError) || res.headersSent) {
      next(error);
      return;
    }
    const body = withoutResultsId.has(error.status) ? error.body(store.now()) : dataErrorBody(store.newId(), error, store.now());
    res.status(error.httpStatus).json(body);
  };
}
