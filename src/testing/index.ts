/**
 * lean-mock/testing: helpers for client test suites. Re-exports only, one concern per block.
 */

// The mock for one test file (or one run, from a global setup).
export { startTestMock } from './test-mock.js';
export type { AppCredentials, TestMock, TestMockOptions } from './test-mock.js';
export type { BuiltInIdentity, Identities, Identity, IdentityName } from './identities.js';
export type { ConnectOptions } from './agents.js';
export type { TestFetchInit } from './fetch.js';
export type { PkiFiles } from './files.js';
export type { CannedResponse, HttpMethod, NetworkFault, Override, OverrideMatch } from './overrides.js';

// Asserting a refusal, in process or through the admin API of a mock in another process.
export { expectRejectedAt } from './expect-rejected.js';
export type { ExpectRejectedOptions } from './expect-rejected.js';

// The types TestMock's members return, so a suite can name them without a second import.
export type { HandshakeRecord, Journal, RequestBody, RequestRecord } from '../gateway/journal.js';
export type { ListedRequest, ListedRequestBody, RequestFilter } from '../sandbox/request-filter.js';
export type { RejectionStyle, TlsVersion } from '../gateway/tls-server.js';
export type { TlsRejectionReason } from '../reasons.js';
export type { VariantName } from '../pki/catalogue.js';
export type { LeanPki } from '../pki/lean-pki.js';
export type { PkiManifest } from '../pki/manifest.js';
export type { LeanMock } from '../server/lean-mock.js';
export type { ClientRefusal, ExpectClientRefusesOptions } from './server-variants.js';
export type { ServerVariantName } from '../pki/server-variants/catalogue.js';
