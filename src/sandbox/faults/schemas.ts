import { z } from 'zod';
import { LeanError } from '../../app/errors.js';
import { lazySchema, parseInput } from '../../app/validation.js';

/** Longest delay a fault may add: well past any sane client timeout, short of a hung test run. */
export const MAX_FAULT_DELAY_MS = 30_000;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

// Built with FaultSpecSchema, on the first fault: most runs arm none.
const matchSchema = () =>
  z.object({
    method: z
      .string()
      .transform((method) => method.toUpperCase())
      .pipe(z.enum(METHODS))
      .optional(),
    path: z
      .string()
      .max(512)
      .regex(/^\/[^\s?#]*$/, 'a path starting with /, without query or fragment'),
    app: z.string().min(1).max(128).optional(),
  });

const actionSchema = () =>
  z
    .object({
      // 2xx/3xx too: a canned success (msw-style override) is a "fault" with a body of your choosing.
      status: z.number().int().min(200).max(599).optional(),
      // An object (Lean's envelopes) or an array (e.g. /banks/v1's bare list).
      body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
      delay_ms: z.number().int().min(0).max(MAX_FAULT_DELAY_MS).optional(),
      reset: z.literal(true).optional(),
      malformed: z.literal(true).optional(),
      /** Extra headers on a canned reply (e.g. `retry-after` on a 429). */
      headers: z.record(z.string(), z.string()).optional(),
    })
    .superRefine((action, ctx) => {
      const endings = (['status', 'reset', 'malformed'] as const).filter((key) => action[key] !== undefined);
      if (endings.length > 1) {
        ctx.addIssue({ code: 'custom', path: [endings[1]!], message: `cannot be combined with ${endings[0]}` });
      } else if (action.body !== undefined && action.status === undefined) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: 'needs a status' });
      } else if (action.status !== undefined && action.status < 400 && action.body === undefined) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: 'a status below 400 needs the body to answer with' });
      } else if (action.headers !== undefined && action.status === undefined) {
        ctx.addIssue({ code: 'custom', path: ['headers'], message: 'needs a status' });
      } else if (action.headers !== undefined && Object.entries(action.headers).some(([name, value]) => !safeHeader(name, value))) {
        ctx.addIssue({ code: 'custom', path: ['headers'], message: 'header names must be tokens, values printable, and framing headers are the server\'s' });
      } else if (endings.length === 0 && action.delay_ms === undefined) {
        ctx.addIssue({ code: 'custom', path: [], message: 'one of status, delay_ms, reset or malformed is required' });
      }
    });

/** Headers that decide how the reply is framed or the connection kept: never a fault's to set. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te']);

function safeHeader(name: string, value: string): boolean {
  return (
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(name) && !FRAMING_HEADERS.has(name.toLowerCase()) && /^[\t\x20-\x7e]{0,1024}$/.test(value)
  );
}

/** `POST /admin/v1/faults`'s body. */
export const FaultSpecSchema = lazySchema(() =>
  z.object({
    match: matchSchema(),
    /** How many matching requests it serves; null: every one, until removed. */
    count: z.number().int().min(1).max(1_000_000).nullable().default(1),
    fault: actionSchema(),
  }),
);

export type FaultSpecInput = z.input<ReturnType<typeof FaultSpecSchema>>;
export type FaultSpec = z.output<ReturnType<typeof FaultSpecSchema>>;
export type FaultAction = FaultSpec['fault'];

const KNOWN_KEYS = {
  '': ['match', 'count', 'fault'],
  match: ['method', 'path', 'app'],
  fault: ['status', 'body', 'delay_ms', 'reset', 'malformed', 'headers'],
} as const;

/**
 * Validates a fault, naming the first bad field (`fault.delay_ms`); an unknown key (a typo such
 * as `delay`) is refused too, rather than silently giving a fault that does something else.
 */
export function parseFaultSpec(input: unknown): FaultSpec {
  for (const [at, keys] of Object.entries(KNOWN_KEYS)) {
    const object: unknown = at === '' ? input : (input as Record<string, unknown> | null)?.[at];
    if (object === null || typeof object !== 'object' || Array.isArray(object)) continue;
    const stray = Object.keys(object).find((key) => !(keys as readonly string[]).includes(key));
    if (stray !== undefined) {
      throw LeanError.invalidParameter(at ? `${at}.${stray}` : stray, (object as Record<string, unknown>)[stray]);
    }
  }
  return parseInput(FaultSpecSchema, input);
}

/** A fault as the admin API shows it. */
export const FaultSchema = z.strictObject({
  id: z.uuid(),
  match: z.strictObject({ method: z.enum(METHODS).nullable(), path: z.string(), app: z.string().nullable() }),
  count: z.number().int().positive().nullable(),
  remaining: z.number().int().positive().nullable(),
  fault: z.strictObject({
    status: z.number().int().optional(),
    body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    delay_ms: z.number().int().optional(),
    reset: z.literal(true).optional(),
    malformed: z.literal(true).optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  created_at: z.iso.datetime(),
});

export type Fault = z.infer<typeof FaultSchema>;
