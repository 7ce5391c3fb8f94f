'use strict';
// The console page: fetches /api/*, renders with textContent only (names come from users), and
// fetches again on each server-sent event. No framework: a few helpers below.

const state = { moment: null, filters: {}, timingOf: null };

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function button(label, onClick) {
  const b = el('button', label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

const shown = {};

/**
 * Fills the body of table `id` with one row per item; each cell is text or a DOM node. A table
 * whose items did not change is left alone, and a redrawn one gives the focus back to the button
 * of the same name, so a keyboard user keeps their place while the page follows the events.
 */
function fill(id, items, cells, empty) {
  const key = JSON.stringify(items);
  if (shown[id] === key) return;
  shown[id] = key;
  const body = document.querySelector('#' + id + ' tbody');
  const focused = body.contains(document.activeElement) ? document.activeElement.textContent : null;
  draw(body, id, items, cells, empty);
  if (focused !== null) {
    const again = Array.from(body.querySelectorAll('button')).find(b => b.textContent === focused);
    if (again) again.focus();
  }
}

function draw(body, id, items, cells, empty) {
  body.replaceChildren();
  if (items.length === 0) {
    const tr = el('tr');
    const td = el('td', empty);
    td.colSpan = document.querySelectorAll('#' + id + ' thead th').length;
    tr.append(td);
    body.append(tr);
    return;
  }
  for (const item of items) {
    const tr = el('tr');
    for (const cell of cells(item)) {
      const td = el('td');
      if (cell instanceof Node) td.append(cell); else td.textContent = cell === null || cell === undefined ? '' : String(cell);
      tr.append(td);
    }
    body.append(tr);
  }
}

/** Docker's short form of a 64-hex id; names and host ids stay whole. */
function shortId(id) {
  return /^[0-9a-f]{64}$/.test(id) ? id.substring(0, 12) : id;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

function filterBy(kind, value) {
  document.getElementById('filter-network').value = kind === 'network' ? value : '';
  document.getElementById('filter-container').value = kind === 'container' ? value : '';
  document.getElementById('filter-host').value = kind === 'host' ? value : '';
  applyFilters();
  document.getElementById('changes-title').scrollIntoView();
}

function renderTopology(t) {
  fill('hosts', t.hosts, h => [h.id, el('span', h.health, 'health-' + h.health), h.underlay, h.agentVersion,
    h.lastHeartbeat, button('History of ' + h.id, () => filterBy('host', h.id))], 'No host has reported.');
  fill('networks', t.networks, n => [n.name, n.driver, n.scope, n.subnets.join(' '), n.hosts.join(' '),
    button('History of ' + n.name, () => filterBy('network', n.name))], 'No networks.');
  fill('endpoints', t.endpoints, e => {
    const actions = el('span');
    actions.append(button('History of ' + e.container, () => filterBy('container', e.container)));
    if (e.endpointId) actions.append(button('Timing of ' + e.container + ' on ' + e.network, () => showTiming(e.endpointId)));
    return [e.container, e.host, e.network, e.address, e.mac,
      el('span', e.status + (e.error ? ': ' + e.error : ''), 'status-' + e.status), actions];
  }, 'No containers.');
  fill('ports', t.ports, p => [p.host, p.container, p.port], 'No published ports.');
  fill('rulesets', t.rulesets, r => [r.host, r.revision, r.dnatRules, r.time], 'No rulesets.');
  fill('mesh', t.mesh, m => [m.host, m.vtep, m.network, m.vni, m.peers.join(', ')], 'No overlay networks.');
}

async function loadTopology() {
  const url = state.moment ? '/api/topology?at=' + encodeURIComponent(state.moment) : '/api/topology';
  try {
    const t = await getJson(url);
    document.getElementById('travel-error').textContent = '';
    renderTopology(t);
    document.getElementById('mode').textContent = t.live ? 'Live: the network as it is now.'
      : 'As it was at ' + t.at + ' (rebuilt from the history; not live).';
    document.body.classList.toggle('past', !t.live);
  } catch (e) {
    document.getElementById('travel-error').textContent = e.message;
  }
}

async function loadChanges() {
  const query = new URLSearchParams({ limit: '200' });
  for (const [k, v] of Object.entries(state.filters)) if (v) query.set(k, v);
  try {
    const [changes, info] = await Promise.all([getJson('/api/changes?' + query), getJson('/api/history')]);
    document.getElementById('filter-error').textContent = '';
    document.getElementById('history-info').textContent = info.changes + ' changes kept since the console started'
      + ' (it read the topics from their beginning)' + (info.forgottenUntil ? '; changes before ' + info.forgottenUntil
      + ' are forgotten' : '') + '.';
    fill('changes', changes, c => {
      const actions = el('span');
      actions.append(button('As it was after this', () => travelTo(c.time)));
      if (c.endpointId) actions.append(button('Timing', () => showTiming(c.endpointId)));
      const aggregate = el('span', c.topic + '/' + shortId(c.aggregateId) + ' r' + c.revision);
      aggregate.title = c.aggregateId;
      return [c.time, c.summary, c.type, aggregate, c.source, actions];
    }, 'No changes match.');
  } catch (e) {
    document.getElementById('filter-error').textContent = e.message;
  }
}

async function loadTiming() {
  if (!state.timingOf) return;
  try {
    const t = await getJson('/api/endpoints/' + encodeURIComponent(state.timingOf) + '/timeline');
    document.getElementById('connect-subject').textContent = 'Container ' + t.container + ' on network ' + t.network
      + ', host ' + t.host + ' (endpoint revision ' + t.revision + ')' + (t.traceId ? ', trace ' + t.traceId : '');
    fill('connect-steps', t.steps, s => [s.name, s.at, s.after || '', s.millis === null ? '' : (s.millis < 0 ? '' : '+') + s.millis + ' ms',
      s.traceId === t.traceId ? (s.traceId ? 'same' : '') : (s.traceId || 'none')],
      'No steps yet.');
  } catch (e) {
    document.getElementById('connect-subject').textContent = e.message;
  }
}

function showTiming(endpointId) {
  state.timingOf = endpointId;
  loadTiming();
  document.getElementById('connect-title').scrollIntoView();
}

function travelTo(moment) {
  state.moment = moment;
  document.getElementById('moment').value = moment;
  loadTopology();
  document.getElementById('travel-title').scrollIntoView();
}

function applyFilters() {
  state.filters = {
    network: document.getElementById('filter-network').value.trim(),
    container: document.getElementById('filter-container').value.trim(),
    host: document.getElementById('filter-host').value.trim(),
  };
  loadChanges();
}

let pending = null;
function refreshSoon() {
  // a burst of events becomes one fetch
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    if (!state.moment) loadTopology();
    loadChanges();
    loadTiming();
  }, 150);
}

function connect() {
  const status = document.getElementById('connection');
  const source = new EventSource('/api/stream');
  source.onopen = () => { status.textContent = 'live'; status.className = 'live'; refreshSoon(); };
  source.onmessage = event => { if (event.data === 'changed') refreshSoon(); };
  source.onerror = () => { status.textContent = 'reconnecting ...'; status.className = ''; };
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('travel').addEventListener('submit', event => {
    event.preventDefault();
    const value = document.getElementById('moment').value.trim();
    if (value) travelTo(value);
  });
  document.getElementById('back-live').addEventListener('click', () => {
    state.moment = null;
    document.getElementById('moment').value = '';
    loadTopology();
  });
  document.getElementById('filters').addEventListener('submit', event => { event.preventDefault(); applyFilters(); });
  document.getElementById('clear-filters').addEventListener('click', () => filterBy(null, null));
  loadTopology();
  loadChanges();
  connect();
});
