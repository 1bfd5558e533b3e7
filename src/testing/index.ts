/**
 * lean-mock/testing: helpers for client test suites. Re-exports only.
 */
export { startTestMock } from './test-mock.js';
export { expectRejectedAt } from './expect-rejected.js';
export type { AppCredentials, TestMock, TestMockOptions } from './test-mock.js';
export type { BuiltInIdentity, Identities, Identity, IdentityName } from './identities.js';
export type { ConnectOptions } from './agents.js';
export type { TestFetchInit } from './fetch.js';
export type { PkiFiles } from './files.js';
export type { CannedResponse, HttpMethod, NetworkFault, Override, OverrideMatch } from './overrides.js';
export type { ExpectRejectedOptions } from './expect-rejected.js';
export type { HandshakeRecord, RequestRecord, Journal } from '../gateway/journal.js';
export type { TlsVersion, RejectionStyle } from '../gateway/tls-server.js';
export type { TlsRejectionReason } from '../reasons.js';
export type { VariantName } from '../pki/catalogue.js';
export type { LeanPki } from '../pki/lean-pki.js';
export type { PkiManifest } from '../pki/manifest.js';
export type { LeanMock } from '../server/lean-mock.js';
export type { ClientRefusal, ExpectClientRefusesOptions } from './server-variants.js';
export type { ServerVariantName } from '../pki/server-variants/catalogue.js';
