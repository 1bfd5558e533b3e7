// @ts-check
// Small DOM and formatting helpers. Everything a client sent (paths, names, bodies) reaches the
// page as text nodes only: no innerHTML anywhere.

/**
 * Creates an element: `h('td', { class: 'mono', title: 'x' }, 'text', child)`.
 * Attributes starting with `on` become listeners; `null`/`false` attributes and children are skipped.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attributes]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
  return element;
}

/** @param {Element} element */
export function clear(element) {
  element.replaceChildren();
}

/** `14:03:27.512` in local time. @param {string} iso */
export function clock(iso) {
  const date = new Date(iso);
  const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** `2026-10-23 21:26 UTC`. @param {string} iso */
export function day(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * `30 days ago`, `in 365 days`, `in 3 hours`: whole units elapsed, rounded down, as the server's
 * explanations and the doctor say it (src/doctor/words.ts `relativeTo`; test/inspector/dates.test.ts).
 * @param {string} iso
 * @param {number} [now]
 */
export function relative(iso, now = Date.now()) {
  const delta = new Date(iso).getTime() - now;
  const magnitude = Math.abs(delta);
  const amount =
    magnitude >= 86_400_000
      ? plural(Math.floor(magnitude / 86_400_000), 'day')
      : magnitude >= 3_600_000
        ? plural(Math.floor(magnitude / 3_600_000), 'hour')
        : plural(Math.max(1, Math.floor(magnitude / 60_000)), 'minute');
  return delta < 0 ? `${amount} ago` : `in ${amount}`;
}

/** @param {number} n @param {string} word */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The CN of a `CN=…, O=…` name, or the whole name. @param {string | null | undefined} name */
export function commonName(name) {
  if (!name) return '';
  const match = /(?:^|, )CN=([^,]*)/.exec(name);
  return match ? match[1] ?? '' : name;
}

/**
 * Pretty JSON with its tokens in spans (keys, strings, numbers, literals), as text nodes.
 * @param {unknown} value
 * @returns {HTMLElement}
 */
export function jsonView(value) {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  const pre = h('pre', { class: 'json' });
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    if (match.index > last) pre.append(text.slice(last, match.index));
    const [whole, string, colon, literal] = match;
    if (string !== undefined && colon !== undefined) pre.append(h('span', { class: 'j-key' }, string), colon);
    else if (string !== undefined) pre.append(h('span', { class: 'j-str' }, string));
    else if (literal !== undefined) pre.append(h('span', { class: 'j-lit' }, literal));
    else pre.append(h('span', { class: 'j-num' }, whole));
    last = match.index + whole.length;
  }
  pre.append(text.slice(last));
  return pre;
}

/**
 * A two-column list of facts; rows whose value is empty are left out.
 * @param {[string, Node | string | number | null | undefined][]} rows
 */
export function facts(rows) {
  const list = h('dl', { class: 'facts' });
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    list.append(h('dt', null, label), h('dd', null, value));
  }
  return list;
}

/**
 * A table of headers (name, value).
 * @param {Record<string, string | string[]>} headers
 */
export function headerTable(headers) {
  const body = h('tbody');
  for (const [name, value] of Object.entries(headers)) {
    body.append(h('tr', null, h('th', null, name), h('td', null, Array.isArray(value) ? value.join(', ') : value)));
  }
  return h('table', { class: 'headers' }, body);
}
