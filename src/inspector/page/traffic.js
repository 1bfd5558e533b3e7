// @ts-check
// The traffic tab: the filter toolbar and the list of handshakes and requests, newest first.
import { clear, clock, commonName, h } from './dom.js';
import { NO_APP, TrafficModel } from './model.js';

/** @typedef {import('./model.js').Item} Item */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class TrafficView {
  /**
   * @param {TrafficModel} model
   * @param {(item: Item | null) => void} onSelect
   */
  constructor(model, onSelect) {
    this.model = model;
    this.onSelect = onSelect;
    this.rows = /** @type {HTMLTableSectionElement} */ ($('rows'));
    this.appFilter = /** @type {HTMLSelectElement} */ ($('app-filter'));
    this.pauseButton = $('pause');
    /** @type {number | null} */
    this.selected = null;
    this.paused = false;
    this.missed = 0;
    this.bindToolbar();
    this.bindKeys();
  }

  bindToolbar() {
    for (const button of document.querySelectorAll('#verdict-filter button')) {
      button.addEventListener('click', () => {
        this.model.filters.verdict = /** @type {any} */ (button.getAttribute('data-verdict'));
        for (const other of document.querySelectorAll('#verdict-filter button')) other.setAttribute('aria-pressed', String(other === button));
        this.render();
      });
    }
    this.appFilter.addEventListener('change', () => {
      this.model.filters.app = this.appFilter.value;
      this.render();
    });
    $('text-filter').addEventListener('input', (event) => {
      this.model.filters.text = /** @type {HTMLInputElement} */ (event.target).value.trim();
      this.render();
    });
    this.pauseButton.addEventListener('click', () => {
      this.paused = !this.paused;
      this.missed = 0;
      this.pauseButton.setAttribute('aria-pressed', String(this.paused));
      this.render();
    });
    $('clear').addEventListener('click', () => {
      this.model.clearView();
      this.select(null);
      this.render();
    });
  }

  /** Up and down arrows move the selection, as in a browser's network panel. */
  bindKeys() {
    $('list-wrap').addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      const rows = [...this.rows.children];
      const at = rows.findIndex((row) => row.getAttribute('data-id') === String(this.selected));
      const next = rows[Math.max(0, Math.min(rows.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (!next) return;
      event.preventDefault();
      this.select(this.model.get(Number(next.getAttribute('data-id'))) ?? null);
      next.scrollIntoView({ block: 'nearest' });
    });
  }

  /** A record arrived: show it on top if it passes the filters. @param {Item} item */
  added(item) {
    this.refreshApps();
    if (this.paused) {
      this.missed++;
      this.updateCount();
      return;
    }
    if (this.model.matches(item)) {
      // Newest first; a late, older record (after a resync) goes where its id belongs.
      let before = this.rows.firstElementChild;
      while (before && Number(before.getAttribute('data-id')) > item.id) before = before.nextElementSibling;
      this.rows.insertBefore(this.row(item), before);
    }
    this.updateCount();
  }

  render() {
    clear(this.rows);
    this.missed = 0;
    for (const item of this.model.visible()) this.rows.append(this.row(item));
    this.refreshApps();
    this.updateCount();
  }

  /** @param {Item | null} item */
  select(item) {
    this.selected = item ? item.id : null;
    for (const row of this.rows.children) row.setAttribute('aria-selected', String(row.getAttribute('data-id') === String(this.selected)));
    this.onSelect(item);
  }

  /** @param {number} id */
  selectId(id) {
    const item = this.model.get(id);
    if (item) this.select(item);
  }

  /** @param {Item} item */
  row(item) {
    const rejected = item.verdict === 'rejected';
    const cells =
      item.kind === 'handshake'
        ? [
            h('td', { class: 'kind' }, h('span', { class: 'chip tls' }, 'TLS')),
            h('td', { class: 'result' }, h('span', { class: `pill ${item.verdict}` }, item.verdict)),
            h('td', { class: 'what', title: item.client?.subject ?? 'no certificate' }, item.client ? commonName(item.client.subject) : h('span', { class: 'muted' }, 'no certificate'), h('span', { class: 'sub' }, item.tls_version ?? '')),
            h('td', { class: 'app' }, item.app ?? h('span', { class: 'muted' }, '—')),
            h('td', { class: 'reason' }, item.reason ?? h('span', { class: 'muted' }, 'ok')),
          ]
        : [
            h('td', { class: 'kind' }, h('span', { class: 'chip http' }, 'HTTP')),
            h('td', { class: 'result' }, h('span', { class: `http-status s${String(item.status)[0]}${rejected ? ' refused' : ''}` }, item.status)),
            h(
              'td',
              { class: 'what', title: `${item.method} ${item.path}${item.replayed ? ` (replayed from ${item.replayed})` : ''}` },
              h('span', { class: 'method' }, item.method),
              ` ${item.path}`,
              // Answered from a recorded exchange (serve --replay), not by the simulated sandbox.
              item.replayed ? h('span', { class: 'chip replayed', title: `replayed from ${item.replayed}` }, 'REPLAY') : null,
            ),
            h('td', { class: 'app' }, item.app ?? h('span', { class: 'muted' }, '—')),
            h('td', { class: 'reason' }, item.reason ?? h('span', { class: 'muted' }, `${item.duration_ms} ms`)),
          ];
    return h(
      'tr',
      { 'data-id': item.id, 'data-kind': item.kind, class: rejected ? 'rejected' : 'accepted', 'aria-selected': String(item.id === this.selected), onclick: () => this.select(item) },
      h('td', { class: 'id' }, item.id),
      h('td', { class: 'time' }, clock(item.at)),
      ...cells,
    );
  }

  refreshApps() {
    const wanted = ['', ...[...this.model.apps].sort(), NO_APP];
    const have = [...this.appFilter.options].map((option) => option.value);
    if (wanted.join('\n') === have.join('\n')) return;
    const current = this.appFilter.value;
    clear(this.appFilter);
    for (const value of wanted) this.appFilter.append(h('option', { value }, value === '' ? 'All apps' : value === NO_APP ? 'No app' : value));
    this.appFilter.value = wanted.includes(current) ? current : '';
  }

  updateCount() {
    const shown = this.rows.children.length;
    $('count').textContent = `${shown} of ${this.model.total()} shown`;
    $('empty').hidden = shown > 0;
    $('empty').textContent = this.model.total() === 0 ? 'Waiting for traffic… connect a client to the mock.' : 'Nothing matches the filters.';
    this.pauseButton.textContent = this.paused ? (this.missed ? `Resume (${this.missed} new)` : 'Resume') : 'Pause';
  }
}
