import type { z } from 'zod';
import { LeanError } from '../../app/errors.js';

/**
 * One problem with a scenario, named by its JSON path (`customers[0].entities[0].accounts[1].balance`),
 * so a test author can go straight to the line. Only the first problem is reported: a scenario is
 * fixed and re-run, not read as a list.
 */
export class ScenarioError extends Error {
  override name = 'ScenarioError';

  constructor(
    /** `customers[0].app_user_id`; empty for the scenario as a whole. */
    readonly path: string,
    /** What is wrong there, e.g. `expected a number`. */
    readonly detail: string,
  ) {
    super(`${path || 'scenario'}: ${detail}`);
  }

  /** The admin API's answer: Lean's INVALID_PARAMETERS, naming the path as its `field`. */
  toLeanError(): LeanError {
    const field = this.path || 'scenario';
    return new LeanError(
      'INVALID_PARAMETERS',
      400,
      `The request is badly formatted or a parameter of the wrong type has been provided, field: ${field} (${this.detail}).`,
      { field, reason: this.detail },
    );
  }
}

/** `['customers', 0, 'app']` → `customers[0].app`; keys that are not identifiers are quoted. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

const ARTICLE = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return ARTICLE(typeof value);
}

/** The first zod issue as a ScenarioError, worded for a person editing the file. */
export function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): ScenarioError {
  const value = valueAt(input, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return new ScenarioError(jsonPath([...issue.path, issue.keys[0]!]), 'unknown field');
  }
  const path = jsonPath(issue.path);
  if (value === undefined && issue.code === 'invalid_type') return new ScenarioError(path, 'required');
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'record' ? 'object' : issue.expected;
      return new ScenarioError(path, `expected ${ARTICLE(expected)}, got ${describeType(value)}`);
    }
    case 'invalid_value':
      return new ScenarioError(path, `expected one of ${issue.values.map((v) => String(v)).join(', ')}`);
    case 'too_big':
      return new ScenarioError(path, issue.origin === 'array' ? `at most ${String(issue.maximum)} items` : issue.origin === 'string' ? `at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`);
    case 'too_small':
      return new ScenarioError(path, issue.origin === 'array' ? `at least ${String(issue.minimum)} item(s)` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`);
    case 'invalid_union':
      return new ScenarioError(path, issue.message.startsWith('Invalid input') ? `unexpected ${describeType(value)}` : issue.message);
    default:
      return new ScenarioError(path, issue.message);
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
