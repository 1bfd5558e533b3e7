// @ts-check
// The live feed: `GET /admin/v1/events` through EventSource, which reconnects by itself and
// sends the last id it saw, so the server replays only what the page missed.

/**
 * @typedef {'connecting' | 'live' | 'reconnecting'} LinkState
 * @typedef {{
 *   record: (kind: 'handshake' | 'request', record: any, live: boolean) => void,
 *   reset: () => void,
 *   status: (state: LinkState, note?: string) => void,
 * }} StreamHandlers
 */

/** @param {StreamHandlers} handlers */
export function connectStream(handlers) {
  /** @type {EventSource | null} */
  let source = null;
  /** @type {string | null} */
  let instance = null;
  let live = false;

  const open = () => {
    source?.close();
    live = false;
    const current = new EventSource('/admin/v1/events');
    source = current;
    handlers.status('connecting');
    current.addEventListener('error', () => {
      live = false;
      handlers.status('reconnecting');
    });
    for (const kind of /** @type {const} */ (['handshake', 'request'])) {
      current.addEventListener(kind, (event) => handlers.record(kind, JSON.parse(/** @type {MessageEvent} */ (event).data), live));
    }
    current.addEventListener('ready', (event) => {
      const ready = JSON.parse(/** @type {MessageEvent} */ (event).data);
      if (instance !== null && ready.instance !== instance) {
        // Another mock answers on this port now: its ids start over, so start over too.
        instance = ready.instance;
        handlers.reset();
        open();
        return;
      }
      instance = ready.instance;
      live = true;
      handlers.status('live');
    });
    current.addEventListener('reset', () => handlers.reset());
    current.addEventListener('gap', (event) => {
      // The page fell behind and the server dropped events: replay what the journal still holds.
      const { dropped } = JSON.parse(/** @type {MessageEvent} */ (event).data);
      handlers.status('connecting', `${dropped} events missed while the page was busy: catching up…`);
      open();
    });
  };

  open();
}
