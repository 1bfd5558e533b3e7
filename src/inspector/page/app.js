// @ts-check
// The inspector page: wires the live stream to the traffic list, the details pane and the state tab.
import { DetailsView } from './details.js';
import { TrafficModel } from './model.js';
import { StateView } from './state.js';
import { connectStream } from './stream.js';
import { TrafficView } from './traffic.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const model = new TrafficModel();
const details = new DetailsView(/** @type {HTMLElement} */ (document.getElementById('details')), model, (id) => traffic.selectId(id));
const traffic = new TrafficView(model, (item) => details.show(item));
const state = new StateView();

for (const tab of document.querySelectorAll('[role="tab"]')) {
  tab.addEventListener('click', () => {
    const name = tab.getAttribute('data-tab');
    for (const other of document.querySelectorAll('[role="tab"]')) other.setAttribute('aria-selected', String(other === tab));
    for (const panel of document.querySelectorAll('[role="tabpanel"]')) /** @type {HTMLElement} */ (panel).hidden = panel.id !== `${name}-panel`;
    state.setVisible(name === 'state');
  });
}

const status = /** @type {HTMLElement} */ (document.getElementById('status'));
connectStream({
  record(kind, record, live) {
    const item = model.add(kind, record);
    if (!item) return;
    traffic.added(item);
    if (live && item.kind === 'request' && MUTATING.has(item.method) && item.status < 400) state.changed();
  },
  reset() {
    model.reset();
    traffic.select(null);
    traffic.render();
    state.changed();
  },
  status(linkState, note) {
    status.setAttribute('data-state', linkState);
    status.textContent = note ?? { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[linkState];
  },
});
