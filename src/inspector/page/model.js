// @ts-check
// What the page knows about the traffic: every record the stream delivered, and the filters.

/**
 * @typedef {{ reason: string, summary: string, fix: string }} Explanation
 * @typedef {{ subject: string, issuer: string, serial: string, fingerprint256: string, not_before: string, not_after: string }} Client
 * @typedef {{ kind: 'handshake', id: number, at: string, remote: string, tls_version: string | null,
 *   verdict: 'accepted' | 'rejected', reason: string | null, raw_code: string | null, client: Client | null,
 *   app: string | null, explanation: Explanation | null, search: string }} Handshake
 * @typedef {{ kind: 'request', id: number, at: string, method: string, path: string, status: number, app: string | null,
 *   client_fingerprint: string | null, duration_ms: number, handshake_id: number | null, reason: string | null,
 *   correlation_id: string, replayed?: string, explanation: Explanation | null, verdict: 'accepted' | 'rejected', search: string }} Request
 * @typedef {Handshake | Request} Item
 * @typedef {{ verdict: 'all' | 'accepted' | 'rejected', app: string, text: string }} Filters
 */

/** The value of the app filter that selects records with no app. */
export const NO_APP = '\u0000none';
/** A page left open for hours keeps this many records, dropping the oldest. */
const MAX_ITEMS = 5000;

export class TrafficModel {
  constructor() {
    /** @type {Map<number, Item>} by id (a resync may add older records late) */
    this.items = new Map();
    /** @type {Set<string>} */
    this.apps = new Set();
    /** @type {Filters} */
    this.filters = { verdict: 'all', app: '', text: '' };
    /** Records up to this id are hidden by "Clear view". */
    this.clearedUpTo = 0;
  }

  /**
   * Adds a record from the stream; returns the item, or null if it was already known.
   * @param {'handshake' | 'request'} kind
   * @param {any} record
   * @returns {Item | null}
   */
  add(kind, record) {
    if (this.items.has(record.id)) return null;
    /** @type {Item} */
    const item =
      kind === 'handshake'
        ? { ...record, kind, search: searchText([record.reason, record.client?.subject, record.client?.issuer, record.client?.serial, record.app, record.raw_code, record.remote]) }
        : {
            ...record,
            kind,
            // A request counts as rejected when it was refused for its certificate or credentials.
            verdict: record.reason ? 'rejected' : 'accepted',
            search: searchText([record.reason, record.method, record.path, String(record.status), record.app, record.correlation_id, record.replayed && `replayed ${record.replayed}`]),
          };
    if (item.explanation) item.search += ` ${item.explanation.summary.toLowerCase()}`;
    this.items.set(item.id, item);
    if (item.app) this.apps.add(item.app);
    if (this.items.size > MAX_ITEMS) this.items.delete(/** @type {number} */ (this.items.keys().next().value));
    return item;
  }

  /** @param {number} id */
  get(id) {
    return this.items.get(id);
  }

  /** Forgets everything (the mock was reset, or another mock answers now). */
  reset() {
    this.items.clear();
    this.apps.clear();
    this.clearedUpTo = 0;
  }

  /** Hides everything received so far. */
  clearView() {
    let newest = 0;
    for (const id of this.items.keys()) newest = Math.max(newest, id);
    this.clearedUpTo = newest;
  }

  /** @param {Item} item */
  matches(item) {
    if (item.id <= this.clearedUpTo) return false;
    const { verdict, app, text } = this.filters;
    if (verdict !== 'all' && item.verdict !== verdict) return false;
    if (app === NO_APP ? item.app !== null : app !== '' && item.app !== app) return false;
    return text === '' || text.toLowerCase().split(/\s+/).every((word) => item.search.includes(word));
  }

  /** Visible items, newest first. */
  visible() {
    return [...this.items.values()].filter((item) => this.matches(item)).sort((a, b) => b.id - a.id);
  }

  /** How many records the view holds (since "Clear view"). */
  total() {
    let count = 0;
    for (const id of this.items.keys()) if (id > this.clearedUpTo) count++;
    return count;
  }

  /** Requests that rode on handshake `id`, oldest first. @param {number} id */
  requestsOf(id) {
    const rode = /** @returns {item is Request} */ (/** @type {Item} */ item) => item.kind === 'request' && item.handshake_id === id;
    return [...this.items.values()].filter(rode).sort((a, b) => a.id - b.id);
  }
}

/** @param {(string | null | undefined)[]} parts */
function searchText(parts) {
  return parts.filter(Boolean).join(' ').toLowerCase();
}
