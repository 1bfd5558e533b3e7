import { afterAll, beforeAll } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { adminFetch, type AdminReply } from './admin-fetch.js';

/**
 * One mock with its admin port per test file (vitest isolates files, so these live bindings are
 * the calling file's own): call {@link useInspectedMock} at the top level, then use `pki`, `mock`.
 */
export let pki: LeanPki;
export let mock: LeanMock;

export function useInspectedMock(): void {
  beforeAll(async () => {
    pki = await createLeanPki();
    mock = await startLeanMock({ pki });
  });
  afterAll(() => mock.close());
}

/** A request to this file's admin port. */
export const admin = (path: string, init?: RequestInit): Promise<AdminReply> => adminFetch(mock.adminUrl, path, init);

/** A call as my_app with its certificate and token. */
export const good = (path = '/banks/v1') => call(mock.url, pki, presented(pki, 'my_app'), { path, headers: appTokenOf(pki) });

export const newestRequest = () => mock.journal.requests()[0]!;
