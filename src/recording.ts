/**
 * Record, replay and drift (issue 17, DESIGN §2.7) as the public API shows them; replay itself is
 * `startLeanMock({ replay: dir })`.
 */
export { startRecorder } from './record/index.js';
export type { RecordOptions, ForwardedExchange, UpstreamTrouble } from './record/index.js';
export type { ExchangeFile, RecordedRequest, RecordedResponse } from './record/exchange-file.js';
export { ReplayFolderError } from './replay/load.js';
export { runDrift, renderDrift } from './drift/index.js';
export type { DriftOptions, DriftReport, DriftRow, DriftVerdict } from './drift/index.js';
export type { UpstreamIdentity } from './upstream/client.js';
export type { UpstreamCredentials } from './upstream/credentials.js';
