// @ts-check
// The details pane: a handshake's certificate and verdict, or a request with Lean's response.
import { clear, clock, commonName, day, facts, h, headerTable, jsonView, relative } from './dom.js';

/**
 * @typedef {import('./model.js').Item} Item
 * @typedef {import('./model.js').Handshake} Handshake
 * @typedef {import('./model.js').Request} Request
 * @typedef {import('./model.js').Explanation} Explanation
 * @typedef {{ kind: 'empty' } | { kind: 'json', value: unknown, bytes: number } | { kind: 'text', text: string, bytes: number, truncated: boolean }} BodyView
 */

export class DetailsView {
  /**
   * @param {HTMLElement} pane
   * @param {import('./model.js').TrafficModel} model
   * @param {(id: number) => void} select
   */
  constructor(pane, model, select) {
    this.pane = pane;
    this.model = model;
    this.selectId = select;
    /** Which item is shown: a slow fetch for an older selection must not overwrite a newer one. */
    this.showing = 0;
  }

  /** @param {Item | null} item */
  show(item) {
    clear(this.pane);
    this.showing = item?.id ?? 0;
    if (!item) {
      this.pane.append(h('p', { class: 'placeholder' }, 'Select a handshake or request to see its details.'));
    } else if (item.kind === 'handshake') {
      this.handshake(item);
    } else {
      this.request(item);
    }
  }

  /** @param {Handshake} item */
  handshake(item) {
    const client = item.client;
    const expired = client && new Date(client.not_after).getTime() < Date.now();
    const early = client && new Date(client.not_before).getTime() > Date.now();
    this.pane.append(
      title(`Handshake #${item.id}`, h('span', { class: `pill ${item.verdict}` }, item.verdict), item.at),
      explanation(item.explanation),
      section(
        'Client certificate',
        client
          ? facts([
              ['Subject', client.subject],
              ['Issuer', client.issuer],
              ['Serial', h('code', null, client.serial)],
              ['Valid from', h('span', { class: early ? 'bad' : null }, `${day(client.not_before)} (${relative(client.not_before)})`)],
              ['Valid until', h('span', { class: expired ? 'bad' : null }, `${day(client.not_after)} (${relative(client.not_after)})`)],
              ['SHA-256', h('code', { class: 'fingerprint' }, client.fingerprint256)],
            ])
          : h('p', { class: 'muted' }, 'The client presented no certificate.'),
      ),
      section('Connection', facts([['App', item.app ?? 'none (certificate bound to no app)'], ['TLS version', item.tls_version], ['Remote', item.remote], ['Raw code', item.raw_code && h('code', null, item.raw_code)]])),
    );
    const requests = this.model.requestsOf(item.id);
    if (requests.length > 0) {
      this.pane.append(
        section(
          `Requests on this connection (${requests.length})`,
          h('ul', { class: 'links' }, ...requests.map((request) => h('li', null, this.link(request.id, `#${request.id} ${request.method} ${request.path} → ${request.status}`)))),
        ),
      );
    }
  }

  /** @param {Request} item */
  async request(item) {
    const placeholder = h('p', { class: 'muted' }, 'Loading the exchange…');
    const handshake = item.handshake_id === null ? undefined : this.model.get(item.handshake_id);
    this.pane.append(
      title(`${item.method} ${item.path}`, h('span', { class: `http-status s${String(item.status)[0]}${item.reason ? ' refused' : ''}` }, item.status), item.at),
      explanation(item.explanation),
      section(
        'Request',
        facts([
          ['Status', String(item.status)],
          ['Duration', `${item.duration_ms} ms`],
          ['App', item.app ?? 'none'],
          ['Client', item.client_fingerprint && h('code', { class: 'fingerprint' }, item.client_fingerprint)],
          ['Correlation id', h('code', null, item.correlation_id)],
          ['Handshake', item.handshake_id === null ? null : this.link(item.handshake_id, `#${item.handshake_id}${handshake?.kind === 'handshake' ? ` ${handshake.verdict}, ${commonName(handshake.client?.subject) || 'no certificate'}` : ''}`)],
        ]),
      ),
      placeholder,
    );
    let details;
    try {
      const response = await fetch(`/admin/v1/requests/${item.id}`);
      details = await response.json();
      if (!response.ok) throw new Error(details.message ?? `HTTP ${response.status}`);
    } catch (error) {
      if (this.showing === item.id) placeholder.replaceWith(h('p', { class: 'muted' }, `The exchange is no longer available: ${String(/** @type {Error} */ (error).message)}`));
      return;
    }
    if (this.showing !== item.id) return;
    const exchange = details.exchange;
    if (!exchange) {
      placeholder.replaceWith(h('p', { class: 'muted' }, 'No headers or body were captured for this request.'));
      return;
    }
    placeholder.replaceWith(
      section('Lean response', facts([['Status', String(exchange.response.status)], ['URL', h('code', null, exchange.url)]]), body(exchange.response.body)),
      collapsible(`Response headers (${Object.keys(exchange.response.headers).length})`, headerTable(exchange.response.headers)),
      collapsible(`Request headers (${Object.keys(exchange.request.headers).length})`, headerTable(exchange.request.headers)),
      exchange.request.body.kind === 'empty' ? '' : collapsible('Request body', body(exchange.request.body), true),
    );
  }

  /** @param {number} id @param {string} text */
  link(id, text) {
    return h('a', { href: `#${id}`, class: 'jump', onclick: (/** @type {Event} */ event) => (event.preventDefault(), this.selectId(id)) }, text);
  }
}

/** @param {string} text @param {HTMLElement} badge @param {string} at */
function title(text, badge, at) {
  return h('header', { class: 'details-title' }, h('h2', { title: text }, text), badge, h('span', { class: 'muted time' }, clock(at)));
}

/**
 * On a bad-server-certificate listener the client is judged, not refused. @param {string} reason
 * @returns {string}
 */
function explanationLabel(reason) {
  if (reason === 'insecure_client') return 'Insecure client';
  if (reason === 'client_refused') return 'Client refused';
  return 'Rejected';
}

/** The plain-words reason and its fix, for a rejection. @param {Explanation | null} explanation */
function explanation(explanation) {
  if (!explanation) return '';
  return h(
    'div',
    { class: 'explanation', role: 'note' },
    h('div', { class: 'why' }, h('span', { class: 'label' }, explanationLabel(explanation.reason)), h('code', null, explanation.reason)),
    h('p', { class: 'summary' }, explanation.summary),
    h('p', { class: 'fix' }, h('strong', null, 'Fix: '), explanation.fix),
  );
}

/** @param {string} heading @param {...(Node | string)} content */
function section(heading, ...content) {
  return h('section', { class: 'block' }, h('h3', null, heading), ...content);
}

/** @param {string} heading @param {Node} content @param {boolean} [open] */
function collapsible(heading, content, open = false) {
  return h('details', { class: 'block', open }, h('summary', null, heading), content);
}

/** @param {BodyView} view */
function body(view) {
  if (view.kind === 'empty') return h('p', { class: 'muted' }, 'No body.');
  if (view.kind === 'json') return jsonView(view.value);
  return h('div', null, view.truncated ? h('p', { class: 'muted' }, `Truncated: ${view.bytes} bytes in all.`) : '', h('pre', { class: 'json' }, view.text));
}
