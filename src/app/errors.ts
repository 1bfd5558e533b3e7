import type { Response } from 'express';

/**
 * Lean's error envelope and the statuses this mock answers with (lean-api.md §4). Every error a
 * client can cause goes through here, so the shape never drifts between routers.
 */
export const LEAN_ERRORS = {
  INVALID_PARAMETERS: { http: 400, message: 'The request is badly formatted or a parameter of the wrong type has been provided.' },
  MISSING_PARAMETERS: { http: 400, message: 'A required parameter is missing.' },
  UNAUTHORIZED: { http: 401, message: "Authentication required: supply a 'lean-app-token' header or an 'Authorization: Bearer' token." },
  CERTIFICATE_TOKEN_MISMATCH: { http: 401, message: 'The client certificate presented does not belong to the application of the token provided.' },
  INVALID_CERTIFICATE: { http: 403, message: 'The client certificate presented is not valid.' },
  INCORRECT_ACCESS_LEVEL: { http: 403, message: 'Your application does not have access to this service.' },
  INVALID_URL: { http: 404, message: 'The URL you have requested does not exist.' },
  INVALID_HTTP_METHOD: { http: 405, message: 'The HTTP method is not supported for this URL.' },
  PAYLOAD_TOO_LARGE: { http: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, message: 'The request body must be JSON (content-type: application/json).' },
  RATE_LIMIT_EXCEEDED: { http: 429, message: 'Too many requests.' },
  INTERNAL_SERVER_ERROR: {
    http: 500,
    message: 'Something has gone wrong. If you continue to see this error, please get in touch with Lean.',
  },
} as const satisfies Record<string, { http: number; message: string }>;

export type LeanErrorStatus = keyof typeof LEAN_ERRORS;

export interface LeanErrorBody {
  /** Data-API errors carry the results id first. */
  results_id?: string;
  timestamp: string;
  status: string;
  message: string;
  metadata: Record<string, unknown> | null;
}

/** An error a handler throws (or passes to `next`) to answer with Lean's envelope. */
export class LeanError extends Error {
  constructor(
    readonly status: LeanErrorStatus | (string & {}),
    readonly httpStatus: number,
    message: string,
    readonly metadata: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'LeanError';
  }

  /** One of the statuses of {@link LEAN_ERRORS}, with its usual HTTP status and message. */
  static of(status: LeanErrorStatus, message?: string, metadata: Record<string, unknown> | null = null): LeanError {
    const known = LEAN_ERRORS[status];
    return new LeanError(status, known.http, message ?? known.message, metadata);
  }

  /**
   * INVALID_PARAMETERS naming the field, worded like Lean's own message (its trailing full stop
   * too); `metadata` null as in Lean's recorded errors: the message is where the field is named.
   */
  static invalidParameter(field: string, value: unknown): LeanError {
    const shown = showValue(value);
    return new LeanError(
      'INVALID_PARAMETERS',
      400,
      `The request is badly formatted or a parameter of the wrong type has been provided, field: ${field}, value: ${shown}.`,
    );
  }

  static missingParameter(field: string): LeanError {
    return new LeanError('MISSING_PARAMETERS', 400, `A required parameter is missing, field: ${field}.`);
  }

  body(now: Date): LeanErrorBody {
    return { timestamp: now.toISOString(), status: this.status, message: this.message, metadata: this.metadata };
  }
}

/** Sends a Lean error envelope. @internal (names express's types: kept out of the published declarations) */
export function sendLeanError(res: Response, error: LeanError, now: Date): void {
  res.status(error.httpStatus).json(error.body(now));
}

/** A client's value as the error message quotes it: short, and never an error of its own. */
function showValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(JSON.stringify(value));
  } catch {
    // e.g. 100,000 nested arrays: too deep to serialise.
    text = Array.isArray(value) ? '[…]' : '{…}';
  }
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
