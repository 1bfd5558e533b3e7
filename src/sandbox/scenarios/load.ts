import { readFile, stat } from 'node:fs/promises';
import { ScenarioError } from './errors.js';

/**
 * Scenario text to a value: JSON, or YAML through the `yaml` package (loaded only when a YAML
 * scenario arrives: a JSON-only user never pays for it). Syntax errors are ScenarioErrors too,
 * one line each, so every way a scenario can be wrong reads the same.
 */

/** Larger than any hand-written scenario; a bound so a wrong path (a disk image) fails fast. */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

export type ScenarioFormat = 'json' | 'yaml';

/** The format a media type names (`application/yaml`, `text/x-yaml` …); JSON otherwise. */
export function formatOfMediaType(mediaType: string | undefined): ScenarioFormat {
  return /^(application|text)\/(x-)?yaml\b/i.test(mediaType ?? '') ? 'yaml' : 'json';
}

export async function parseScenarioText(text: string, format: ScenarioFormat): Promise<unknown> {
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ScenarioError('', `not valid JSON (${(error as Error).message})`);
    }
  }
  const { parse } = await import('yaml');
  try {
    // Aliases are capped (a "billion laughs" file cannot expand without bound); duplicate keys refused.
    return parse(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: false }) as unknown;
  } catch (error) {
    throw new ScenarioError('', `not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
}

/** A file's trouble (missing, unreadable, too large): not the scenario's content. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError';
}

/** Reads a scenario file: `.yaml`/`.yml` as YAML, anything else as JSON. Content errors name the file. */
export async function readScenarioFile(path: string): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ScenarioFileError(`cannot read scenario ${path}: not a file`);
    if (info.size > MAX_SCENARIO_BYTES) throw new ScenarioFileError(`cannot read scenario ${path}: larger than ${MAX_SCENARIO_BYTES} bytes`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ScenarioFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(`cannot read scenario ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`);
  }
  return parseScenarioText(text, /\.ya?ml$/i.test(path) ? 'yaml' : 'json');
}

/** A scenario as the in-process API takes it: the object itself, or the path of its file. */
export async function resolveScenario(scenario: object | string): Promise<unknown> {
  return typeof scenario === 'string' ? readScenarioFile(scenario) : scenario;
}
