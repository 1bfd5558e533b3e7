/**
 * What the inspector never shows (the journal's contract, extended to headers and bodies): tokens,
 * secrets, passwords and keys, by the name of the header or field that carries them and by value
 * (an app token is also Lean's `client_id` and a payment source's `app_id`).
 */

export const REDACTED = '[redacted]';

/** Headers that carry credentials without saying so in their name; any header named like a secret is hidden too. */
const SECRET_HEADERS = new Set(['lean-app-token', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
/** Field, query and header names whose value is a credential. `token_type` ("Bearer") is not one. */
const SECRET_NAME = /token|secret|password|passphrase|private[-_]?key|api[-_]?key|^client_id$|^app_id$/i;
const HARMLESS_NAME = /^token_type$/i;
/** Deeper JSON is cut off: a client may send 100,000 levels of nesting. */
const MAX_DEPTH = 32;
/** A JSON string value after a secret-named key, cut off by the end of the text (even mid-escape). */
const UNTERMINATED_FIELD = /"((?:[^"\\]|\\.){1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*\\?$/;
/** A complete JSON string field; its name may be escaped (`"\u0061pp_token"`). */
const JSON_FIELD = /"((?:[^"\\]|\\.){1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/** The longest spelling of one character a secret may take (`\uD83D\uDE00`, or UTF-8 as `%F0%9F%98%80`). */
const MAX_ENCODED_CHAR = 12;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !HARMLESS_NAME.test(name);
}

/**
 * Known secret values (app tokens, client and webhook secrets), replaced wherever they appear, in
 * every spelling the server itself decodes: any letter case, any character percent-encoded (paths,
 * queries, forms; `+` for a space) or written as a JSON `\u` escape, mixed freely.
 */
export class Redactor {
  private readonly secrets: readonly string[];
  /** Every spelling of every secret, longest secret first (a secret containing another goes whole); null without secrets. */
  private readonly pattern: RegExp | null;

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret containing another is replaced whole; short strings are not secrets.
    this.secrets = [...new Set(secrets)].filter((secret) => secret.length >= 8).sort((a, b) => b.length - a.length);
    this.pattern = this.secrets.length ? new RegExp(this.secrets.map(spellings).join('|'), 'gi') : null;
  }

  /** How many characters the longest known secret may span once encoded: how far a cut text must be held back (see `head`). */
  get longestSecret(): number {
    return (this.secrets[0]?.length ?? 0) * MAX_ENCODED_CHAR;
  }

  text(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }

  headers(headers: Record<string, number | string | readonly string[] | undefined>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      if (SECRET_HEADERS.has(name.toLowerCase()) || isSecretName(name)) out[name] = REDACTED;
      else out[name] = typeof value === 'object' ? value.map((item) => this.text(item)) : this.text(String(value));
    }
    return out;
  }

  /** A redacted copy of parsed JSON (or of anything JSON-like, such as a parsed form). */
  json(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[too deeply nested]';
    if (Array.isArray(value)) return value.map((item) => this.json(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretName(key) && item !== null && item !== undefined && item !== '' ? REDACTED : this.json(item, depth + 1);
    }
    return out;
  }

  /** Text that may be cut-off JSON or a form: secret-named fields by pattern, then known values. */
  rawText(text: string): string {
    const jsonFields = text.replace(JSON_FIELD, (whole, name: string, colon: string) =>
      isSecretName(jsonName(name)) ? `"${name}"${colon}"${REDACTED}"` : whole,
    );
    const cutField = jsonFields.replace(UNTERMINATED_FIELD, (whole, name: string, colon: string) =>
      isSecretName(jsonName(name)) ? `"${name}"${colon}"${REDACTED}` : whole,
    );
    const formFields = cutField.replace(/(^|&)([^=&]{1,64})=([^&]*)/g, (whole, lead: string, name: string) =>
      isSecretName(decodeSafely(name)) ? `${lead}${name}=${encodeURIComponent(REDACTED)}` : whole,
    );
    return this.text(formFields);
  }

  /**
   * About the first `limit` characters of `text`, redacted, never showing part of a secret: the cut
   * moves past a known secret it would split, and a secret-named field's value it splits is hidden.
   * `complete` is false when `text` is itself the head of a longer text: its last
   * {@link longestSecret} characters, where a secret may begin that `text` no longer holds whole,
   * are then left out.
   */
  head(text: string, limit: number, complete: boolean): string {
    let end = Math.max(0, Math.min(limit, complete ? text.length : text.length - this.longestSecret));
    if (this.pattern) {
      // Matches never overlap, so at most one spans the cut; moving past it ends inside no other.
      for (const match of text.matchAll(this.pattern)) {
        if (match.index >= end) break;
        if (match.index + match[0].length > end) end = match.index + match[0].length;
      }
    }
    return this.rawText(text.slice(0, end));
  }

  /** `path?query` with secret-named parameters and known secret values hidden. */
  url(url: string): string {
    const mark = url.indexOf('?');
    if (mark === -1) return this.text(url);
    const query = url.slice(mark + 1).replace(/(^|&)([^=&]*)=([^&]*)/g, (whole, lead: string, name: string) =>
      isSecretName(decodeSafely(name)) ? `${lead}${name}=${encodeURIComponent(REDACTED)}` : whole,
    );
    return this.text(`${url.slice(0, mark)}?${query}`);
  }
}

/** A JSON string's contents, unescaped; as written when the escapes are broken. */
function jsonName(escaped: string): string {
  try {
    return JSON.parse(`"${escaped}"`) as string;
  } catch {
    return escaped;
  }
}

/**
 * A regex source matching `secret` spelled any way the server decodes: per character, itself (the
 * `i` flag covers case), its UTF-8 bytes percent-encoded, its JSON `\u` escapes, `+` for a space.
 */
function spellings(secret: string): string {
  return Array.from(secret, charSpelling).join('');
}

/** Secrets are hex and base64 text: a few dozen characters spelled over and over, on every start. */
const spelled = new Map<string, string>();

function charSpelling(char: string): string {
  const known = spelled.get(char);
  if (known !== undefined) return known;
  const percent = [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  const units = Array.from({ length: char.length }, (_, at) => char.charCodeAt(at));
  const escaped = units.map((unit) => `\\\\u${unit.toString(16).padStart(4, '0')}`).join('');
  const literal = char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const alternatives = [literal, percent, escaped];
  if (char === ' ') alternatives.push('\\+');
  // JSON's short escapes: `\"`, `\\`, `\/`.
  if (char === '"' || char === '\\' || char === '/') alternatives.push(`\\\\${literal}`);
  const spelling = `(?:${alternatives.join('|')})`;
  // Bounded: a secret in some exotic script must not grow the map without end.
  if (spelled.size < 4096) spelled.set(char, spelling);
  return spelling;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
