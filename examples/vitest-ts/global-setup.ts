import { startTestMock, type Identity } from 'lean-mock/testing';
import type { TestProject } from 'vitest/node';

/** What a test file gets from the run's one mock: plain data, since workers cannot share the mock. */
export interface LeanContext {
  url: string;
  adminUrl: string;
  appToken: string;
  identities: { my_app: Identity; expired: Identity };
}

// Types inject('lean') in every test file: a typo or a missing field fails to compile.
declare module 'vitest' {
  export interface ProvidedContext {
    lean: LeanContext;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mock = await startTestMock();
  const { my_app, expired } = mock.identities;
  if (mock.adminUrl === null) throw new Error('the admin API is off: expectRejectedAt needs it');
  project.provide('lean', { url: mock.url, adminUrl: mock.adminUrl, appToken: mock.appToken, identities: { my_app, expired } });
  return () => mock.close();
}
