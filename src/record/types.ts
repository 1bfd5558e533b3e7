import type { UpstreamFailure } from '../upstream/client.js';
import type { FailureExplanation } from '../upstream/explain.js';

// What a recorder reports, kept apart from the forwarder so the public declarations never reach express.

export interface ForwardedExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly file: string;
}

export interface UpstreamTrouble {
  readonly method: string;
  readonly path: string;
  readonly failure: UpstreamFailure;
  readonly explanation: FailureExplanation;
}
