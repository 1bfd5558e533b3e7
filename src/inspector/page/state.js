// @ts-check
// The sandbox state tab: per app, each collection's records with their key fields, and one
// record's JSON. Read-only, from `GET /admin/v1/state[/:app/:collection]`.
import { clear, h, jsonView } from './dom.js';

/** Key fields per collection; others show their id and first few plain fields. */
const COLUMNS = /** @type {Record<string, string[]>} */ ({
  customers: ['customer_id', 'app_user_id', 'created_at'],
  entities: ['id', 'customer_id', 'bank_identifier', 'bank_type', 'created_at'],
  payment_intents: ['payment_intent_id', 'customer_id', 'amount', 'currency', 'description', 'created_at'],
  payments: ['id', 'payment_intent_id', 'amount', 'currency', 'status', 'updated_at'],
  payment_destinations: ['id', 'display_name', 'iban', 'default', 'status'],
  payment_sources: ['id', 'customer_id', 'bank_identifier', 'status'],
  accounts: ['account_id', 'nickname', 'account_sub_type', 'currency', 'status'],
  transactions: ['booking_date_time', 'transaction_information', 'amount', 'credit_debit_indicator', 'status'],
  balances: ['account_id', 'type', 'amount', 'credit_debit_indicator'],
});
const PAGE_SIZE = 50;
const POLL_MS = 5_000;
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class StateView {
  constructor() {
    this.appSelect = /** @type {HTMLSelectElement} */ ($('state-app'));
    /** @type {{ app: string, collections: { name: string, count: number }[] }[]} */
    this.apps = [];
    this.collection = 'customers';
    this.page = 0;
    this.visible = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** What is on screen, so a refresh that finds nothing new leaves it (and its scroll) alone. */
    this.shown = { apps: '', collections: '', records: '' };
    /** @type {string | null} the record whose JSON is open */
    this.selectedId = null;
    this.shownRecord = '';
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.poller = undefined;
    this.appSelect.addEventListener('change', () => this.open(this.collection, 0));
    $('state-refresh').addEventListener('click', () => this.refresh());
  }

  /**
   * While shown, the tab also refreshes on its own: the admin port's own changes and the sandbox's
   * changes over time (a payment settling) come with no request in the traffic.
   * @param {boolean} visible
   */
  setVisible(visible) {
    this.visible = visible;
    clearInterval(this.poller);
    clearTimeout(this.timer);
    this.poller = undefined;
    if (!visible) return;
    this.poller = setInterval(() => {
      if (document.visibilityState === 'visible') this.refresh();
    }, POLL_MS);
    this.refresh();
  }

  /** Something changed the sandbox: refresh soon if shown (it is refreshed whenever shown). */
  changed() {
    if (!this.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 250);
  }

  async refresh() {
    const summary = await getJson('/admin/v1/state');
    if (!summary) return;
    this.apps = summary.apps;
    const names = this.apps.map(({ app }) => app).join('\n');
    if (names !== this.shown.apps) {
      this.shown.apps = names;
      const current = this.appSelect.value;
      clear(this.appSelect);
      for (const { app } of this.apps) this.appSelect.append(h('option', { value: app }, app));
      if (this.apps.some(({ app }) => app === current)) this.appSelect.value = current;
    }
    await this.open(this.collection, this.page);
  }

  /** @param {string} collection @param {number} page */
  async open(collection, page) {
    const app = this.appSelect.value;
    const collections = this.apps.find((entry) => entry.app === app)?.collections ?? [];
    this.collection = collections.some((entry) => entry.name === collection) ? collection : (collections[0]?.name ?? '');
    this.page = page;
    const navKey = JSON.stringify([app, this.collection, collections]);
    if (navKey !== this.shown.collections) {
      this.shown.collections = navKey;
      const nav = $('collections');
      clear(nav);
      for (const { name, count } of collections) {
        nav.append(
          h('button', { class: 'collection', 'aria-pressed': String(name === this.collection), 'data-collection': name, onclick: () => this.open(name, 0) },
            h('span', null, name.replace(/_/g, ' ')), h('span', { class: 'count-badge' }, count)),
        );
      }
    }
    if (!this.collection) return;
    const result = await getJson(`/admin/v1/state/${encodeURIComponent(app)}/${encodeURIComponent(this.collection)}?page=${page}&size=${PAGE_SIZE}`);
    if (result) this.renderRecords(result);
  }

  /** @param {{ collection: string, page: number, size: number, total: number, records: { id: string, record: any }[] }} result */
  renderRecords(result) {
    const key = JSON.stringify([this.appSelect.value, result]);
    if (key === this.shown.records) return;
    this.shown.records = key;
    const columns = COLUMNS[result.collection] ?? guessColumns(result.records[0]?.record);
    const table = $('records');
    clear(table);
    table.append(h('thead', null, h('tr', null, ...columns.map((column) => h('th', null, column.replace(/_/g, ' '))))));
    const rows = h('tbody');
    for (const { id, record } of result.records) {
      rows.append(
        h('tr', { 'data-id': id, onclick: (/** @type {Event} */ event) => this.showRecord(/** @type {HTMLElement} */ (event.currentTarget), id, record) },
          ...columns.map((column) => h('td', { title: typeof record[column] === 'string' ? record[column] : cell(record[column]) }, cell(record[column])))),
      );
    }
    table.append(rows);
    const first = result.page * result.size;
    const pager = $('pager');
    clear(pager);
    pager.append(
      h('span', { class: 'muted' }, result.total === 0 ? 'No records.' : `${first + 1}–${Math.min(first + result.size, result.total)} of ${result.total}, latest added first`),
      h('button', { disabled: result.page === 0, onclick: () => this.open(result.collection, result.page - 1) }, '‹ Newer'),
      h('button', { disabled: first + result.size >= result.total, onclick: () => this.open(result.collection, result.page + 1) }, 'Older ›'),
    );
    // The record that was open stays open (a refresh must not take it away), or the pane empties.
    const still = rows.querySelector(`tr[data-id="${CSS.escape(this.selectedId ?? '')}"]`);
    const open = result.records.find((entry) => entry.id === this.selectedId);
    if (still instanceof HTMLElement && open) return this.showRecord(still, open.id, open.record);
    this.selectedId = null;
    this.shownRecord = '';
    const pane = $('record');
    clear(pane);
    pane.append(h('p', { class: 'placeholder' }, 'Select a record to see its JSON.'));
  }

  /** @param {HTMLElement} row @param {string} id @param {unknown} record */
  showRecord(row, id, record) {
    for (const other of row.parentElement?.children ?? []) other.setAttribute('aria-selected', String(other === row));
    const json = JSON.stringify([id, record]);
    this.selectedId = id;
    if (json === this.shownRecord) return;
    this.shownRecord = json;
    const pane = $('record');
    clear(pane);
    pane.append(h('header', { class: 'details-title' }, h('h2', null, id)), jsonView(record));
  }
}

/** The JSON at `url`, or null when the mock is unreachable (stopped, restarting) or says no. @param {string} url */
async function getJson(url) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** @param {unknown} record */
function guessColumns(record) {
  if (!record || typeof record !== 'object') return ['id'];
  return Object.entries(record).filter(([, value]) => value === null || typeof value !== 'object').slice(0, 5).map(([key]) => key);
}

/** Money as `AED 1,250.00`, times to the minute, nested objects as short JSON. @param {unknown} value */
function cell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'amount' in value && 'currency' in value) {
    return `${value.currency} ${Number(value.amount).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  // `2026-11-22T07:40:31.000Z` → `2026-11-22 07:40`: a list needs the minute, the JSON view has the rest.
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return `${value.slice(0, 10)} ${value.slice(11, 16)}`;
  return String(value);
}
