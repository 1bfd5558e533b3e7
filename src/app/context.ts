import type { IncomingMessage } from 'node:http';
import { LeanError } from './errors.js';
import type { RejectionReason } from '../reasons.js';
import type { ClientCertificateInfo } from '../gateway/journal.js';

/**
 * What the HTTP layer knows about who is calling: the gate's findings about the connection, then
 * what authentication adds. Kept beside the request, not on it, so no TLS object ever reaches a
 * router and express's own types stay untouched.
 */
export interface RequestContext {
  /** Whether the connection came through the mTLS gate (false in `--no-mtls` mode). */
  readonly mtls: boolean;
  readonly handshakeId: number | null;
  readonly client: ClientCertificateInfo | null;
  /** The name of the app the client certificate is bound to. */
  readonly certificateApp: string | null;
  /** The name of the app the credentials (app token or bearer token) belong to, once authenticated. */
  app: string | null;
  /** Customer the bearer token is scoped to, for `customer.<id>` tokens. */
  customerId: string | null;
  /** Why the request was refused, when it was refused for its certificate or credentials. */
  rejection: RejectionReason | null;
  readonly correlationId: string;
  readonly startedAt: number;
  /** The recorded exchange file that answered, when `--replay` did (src/replay). */
  replayed?: string;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

export function attachContext(req: IncomingMessage, context: RequestContext): void {
  contexts.set(req, context);
}

/** The context the composition root attached; requests never reach a router without one. */
export function contextOf(req: IncomingMessage): RequestContext {
  const context = contexts.get(req);
  if (!context) throw new Error('request has no lean-mock context');
  return context;
}

/**
 * The calling app's name, for product routers: every sandbox read and write is scoped to it.
 * Authentication runs before any product router, so a missing app is a wiring mistake; it still
 * answers 401 rather than a 500.
 */
export function callerApp(req: IncomingMessage): string {
  const app = contextOf(req).app;
  if (!app) throw LeanError.of('UNAUTHORIZED');
  return app;
}
