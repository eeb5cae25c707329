// The /chart page: the reporting tree of orgChart laid out top-down by
// dagre in Cytoscape.js, a box per unit and post. Everything it shows comes
// from this server's /query; it loads nothing from elsewhere.
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import svg from 'cytoscape-svg';

cytoscape.use(dagre);
cytoscape.use(svg);

const $ = (id) => document.getElementById(id);
const tokenKey = 'orgraph.token';

// fold matches the server's search: case and Polish diacritics folded.
export function fold(s) {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[łŁ]/g, 'l').toLowerCase();
}

async function gql(query, variables) {
  const headers = { 'Content-Type': 'application/json' };
  const token = sessionStorage.getItem(tokenKey);
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch('/query', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  let body;
  try {
    body = await r.json();
  } catch {
    throw new Error(`the server answered ${r.status} ${r.statusText}`);
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    const code = e.extensions && e.extensions.code;
    throw new Error(code ? `${e.message} (${code})` : e.message);
  }
  return body.data;
}

const chartQuery = `query Chart($scenario: ID, $asOf: Date, $containers: Boolean) {
  orgChart(scenario: $scenario, asOf: $asOf, containers: $containers) {
    nodes { id parentId parent container name kind code }
  }
}`;

const impactQuery = `query Impact($scenario: ID!) {
  scenarioImpact(scenario: $scenario) {
    added { id name }
    removed { id name }
    moved { node { id name } before { id name } after { id name } }
    cutOff { id name }
    renamed { node { id name } before }
  }
}`;

const changesQuery = `query Changes($from: Date!, $to: Date!) {
  structureChanges(from: $from, to: $to) {
    added { id name }
    removed { id name }
    moved { node { id name } before { id name } after { id name } }
    cutOff { id name }
    renamed { node { id name } before }
  }
}`;

const nodeQuery = `query Node($id: String!, $scenario: ID, $asOf: Date) {
  node(id: $id, scenario: $scenario, asOf: $asOf) {
    id name kind
    source { document provision }
    ... on Unit {
      code type
      duties { id number text source { provision } }
      taskers { by { id name } source { provision } }
    }
    ... on Position {
      mayTask { unit { id code name } source { provision } }
    }
  }
  cooperation(node: $id, scenario: $scenario, asOf: $asOf) {
    partner { id name ... on Unit { code } }
    strength phrase
    source { provision }
  }
}`;

// The view: today's baseline, a scenario, or the structure on a day
// (asOf), marked against a scenario's baseline or an earlier day (since).
const state = { cy: null, scenario: '', asOf: '', since: '', containers: false, selected: '', baseline: null };

const today = () => new Date().toISOString().slice(0, 10);

function label(n) {
  return n.code ? `${n.code}\n${n.name}` : n.name;
}

function status(text, error) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!error);
}

const style = [
  {
    selector: 'node',
    style: {
      shape: 'round-rectangle',
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-max-width': 170,
      'text-valign': 'center',
      'font-size': 11,
      width: 190,
      height: 'label',
      padding: 8,
      'background-color': '#e8f0fe',
      'border-width': 1,
      'border-color': '#7a8aa0',
      color: '#1d2430',
    },
  },
  { selector: 'node[kind = "POSITION"]', style: { 'background-color': '#fff4d6' } },
  {
    selector: ':parent',
    style: {
      'text-valign': 'top',
      'text-halign': 'center',
      'background-opacity': 0.25,
      'border-style': 'dashed',
      'font-weight': 'bold',
    },
  },
  {
    selector: 'edge',
    style: { width: 1.5, 'line-color': '#98a2b3', 'curve-style': 'taxi', 'taxi-direction': 'downward', 'target-arrow-shape': 'none' },
  },
  {
    selector: 'edge.cooperation',
    style: { 'curve-style': 'unbundled-bezier', 'line-style': 'dashed', 'line-color': '#0969da', width: 2, label: 'data(label)', 'font-size': 9, 'text-rotation': 'autorotate' },
  },
  {
    selector: 'edge.tasking',
    style: { 'curve-style': 'unbundled-bezier', 'line-style': 'dotted', 'line-color': '#1a7f37', width: 2, 'target-arrow-shape': 'triangle', 'target-arrow-color': '#1a7f37', label: 'data(label)', 'font-size': 9, 'text-rotation': 'autorotate' },
  },
  { selector: 'node.added', style: { 'border-width': 4, 'border-color': '#1a7f37' } },
  { selector: 'node.removed', style: { 'border-width': 4, 'border-color': '#cf222e', 'border-style': 'dashed', opacity: 0.6 } },
  { selector: 'node.moved', style: { 'border-width': 4, 'border-color': '#d97a00' } },
  { selector: 'node.cutoff', style: { 'border-width': 4, 'border-color': '#8250df' } },
  { selector: 'node.renamed', style: { 'border-width': 4, 'border-color': '#0969da' } },
  { selector: 'node.match', style: { 'background-color': '#fff000' } },
  { selector: 'node.selected', style: { 'overlay-color': '#0969da', 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
];

function elements(nodes, containers) {
  const ids = new Set(nodes.map((n) => n.id));
  const els = [];
  for (const n of nodes) {
    const data = { id: n.id, label: label(n), kind: n.kind, name: n.name, code: n.code || '' };
    if (containers && n.parent && ids.has(n.parent)) data.parent = n.parent;
    els.push({ group: 'nodes', data });
  }
  for (const n of nodes) {
    // A container is drawn around its parts; the line into it from its
    // head would cross its own box, so only boxes get tree lines.
    if (!n.parentId || !ids.has(n.parentId) || (containers && n.container)) continue;
    els.push({ group: 'edges', classes: 'tree', data: { id: `tree:${n.parentId}>${n.id}`, source: n.parentId, target: n.id } });
  }
  return els;
}

async function draw() {
  document.body.dataset.state = 'loading';
  status('Loading…');
  $('details').hidden = true;
  $('legend').hidden = true;
  const vars = { scenario: state.scenario || null, asOf: state.asOf || null, containers: state.containers };
  const data = await gql(chartQuery, vars);
  const nodes = data.orgChart.nodes;
  let impact = null;
  if (state.scenario) {
    if (!state.baseline) state.baseline = (await gql(chartQuery, { scenario: null, asOf: null, containers: state.containers })).orgChart.nodes;
    impact = (await gql(impactQuery, { scenario: state.scenario })).scenarioImpact;
  } else if (state.since) {
    // What the acts changed between the two days, drawn on the later one.
    state.baseline = (await gql(chartQuery, { scenario: null, asOf: state.since, containers: state.containers })).orgChart.nodes;
    impact = (await gql(changesQuery, { from: state.since, to: state.asOf || today() })).structureChanges;
  }
  const els = elements(nodes, state.containers);
  if (impact) {
    // What the scenario removes is not in its chart: draw it where the
    // baseline has it, marked.
    const have = new Set(nodes.map((n) => n.id));
    for (const r of impact.removed) {
      const b = state.baseline.find((n) => n.id === r.id);
      if (!b || have.has(b.id)) continue;
      els.push({ group: 'nodes', classes: 'removed', data: { id: b.id, label: label(b), kind: b.kind, name: b.name, code: b.code || '' } });
      if (b.parentId && (have.has(b.parentId) || impact.removed.some((x) => x.id === b.parentId))) {
        els.push({ group: 'edges', classes: 'tree', data: { id: `tree:${b.parentId}>${b.id}`, source: b.parentId, target: b.id } });
      }
    }
  }
  if (state.cy) state.cy.destroy();
  const cy = cytoscape({
    container: $('cy'),
    elements: els,
    style,
    layout: { name: 'dagre', rankDir: 'TB', nodeSep: 24, rankSep: 56, spacingFactor: 1 },
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 3,
  });
  state.cy = cy;
  window.orgraphChart = { cy };
  cy.on('tap', 'node', (e) => select(e.target.id()));
  cy.on('tap', (e) => {
    if (e.target === cy) clearSelection();
  });
  if (impact) mark(cy, impact);
  outline(cy);
  const n = cy.nodes().length;
  let what = state.scenario ? ` · scenario ${state.scenario}` : state.asOf ? ` · as of ${state.asOf}` : ' · baseline';
  if (state.since) what += ` · changes since ${state.since}`;
  status(`${n} boxes${what}`);
  applySearch();
  document.body.dataset.state = 'ready';
  if (state.selected && cy.getElementById(state.selected).nonempty()) await select(state.selected);
}

function mark(cy, impact) {
  const groups = [
    ['added', impact.added.map((n) => n.id)],
    ['removed', impact.removed.map((n) => n.id)],
    ['moved', impact.moved.map((m) => m.node.id)],
    ['cutoff', impact.cutOff.map((n) => n.id)],
    ['renamed', impact.renamed.map((r) => r.node.id)],
  ];
  const legend = $('legend');
  legend.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = state.scenario ? 'Scenario against the baseline' : `Changes since ${state.since}`;
  legend.append(h);
  for (const [cls, ids] of groups) {
    for (const id of ids) cy.getElementById(id).addClass(cls);
    const span = document.createElement('span');
    span.className = `lg-${cls}`;
    span.dataset.kind = cls;
    span.dataset.count = String(ids.length);
    span.textContent = `${cls} ${ids.length}`;
    legend.append(span);
  }
  const ul = document.createElement('ul');
  for (const m of impact.moved) {
    const li = document.createElement('li');
    li.textContent = `${m.node.name}: ${m.before ? m.before.name : '—'} → ${m.after ? m.after.name : '—'}`;
    ul.append(li);
  }
  for (const r of impact.renamed) {
    const li = document.createElement('li');
    li.textContent = `${r.before} → ${r.node.name}`;
    ul.append(li);
  }
  legend.append(ul);
  legend.hidden = false;
}

function outline(cy) {
  const ul = $('outline');
  ul.replaceChildren();
  cy.nodes().forEach((n) => {
    const li = document.createElement('li');
    li.dataset.id = n.id();
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = n.data('code') ? `${n.data('code')} ${n.data('name')}` : n.data('name');
    b.addEventListener('click', () => select(n.id()));
    li.append(b);
    for (const c of ['added', 'removed', 'moved', 'cutoff', 'renamed']) if (n.hasClass(c)) li.classList.add(c);
    ul.append(li);
  });
}

function clearSelection() {
  const cy = state.cy;
  cy.nodes().removeClass('selected');
  cy.edges('.cooperation, .tasking').remove();
  state.selected = '';
  $('details').hidden = true;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function item(text, provision) {
  const li = el('li', text + ' ');
  if (provision) li.append(el('span', provision, 'prov'));
  return li;
}

// select shows a box's duties with their provisions, and draws its
// cooperation and tasking: on demand, one box at a time, never all at once.
async function select(id) {
  const cy = state.cy;
  clearSelection();
  state.selected = id;
  const box = cy.getElementById(id);
  box.addClass('selected');
  const details = $('details');
  details.replaceChildren(el('p', 'Loading…'));
  details.hidden = false;
  if (box.hasClass('removed')) {
    details.replaceChildren(el('h2', box.data('name')), el('p', 'Removed by the scenario.'));
    return;
  }
  let d;
  try {
    d = await gql(nodeQuery, { id, scenario: state.scenario || null, asOf: state.asOf || null });
  } catch (e) {
    details.replaceChildren(el('p', e.message, 'error'));
    return;
  }
  if (state.selected !== id) return;
  const n = d.node;
  if (!n) {
    details.replaceChildren(el('p', `${id}: not found`));
    return;
  }
  const head = el('h2');
  if (n.code) head.append(el('span', n.code + ' ', 'code'));
  head.append(document.createTextNode(n.name));
  details.replaceChildren(head, el('p', `${n.source.document} ${n.source.provision}`, 'prov'));

  if (n.duties) {
    details.append(el('h3', `Duties (${n.duties.length})`));
    const ul = el('ul');
    ul.id = 'duties';
    for (const t of n.duties) ul.append(item(`${t.number} ${t.text}`, t.source.provision));
    details.append(ul);
  }
  const coop = d.cooperation || [];
  details.append(el('h3', `Cooperation (${coop.length})`));
  const cu = el('ul');
  const drawn = [];
  coop.forEach((c, i) => {
    const who = c.partner.code ? `${c.partner.code} ${c.partner.name}` : c.partner.name;
    cu.append(item(`${c.strength === 'CLOSE' ? 'ścisła ' : ''}${c.phrase}: ${who}`, c.source.provision));
    if (cy.getElementById(c.partner.id).nonempty()) {
      drawn.push({ group: 'edges', classes: 'cooperation', data: { id: `coop:${id}:${c.partner.id}:${i}`, source: id, target: c.partner.id, label: c.source.provision } });
    }
  });
  details.append(cu);
  const tasks = [];
  if (n.taskers) {
    details.append(el('h3', `Tasked by (${n.taskers.length})`));
    const ul = el('ul');
    n.taskers.forEach((t, i) => {
      ul.append(item(t.by.name, t.source.provision));
      if (cy.getElementById(t.by.id).nonempty()) tasks.push({ group: 'edges', classes: 'tasking', data: { id: `task:${t.by.id}:${id}:${i}`, source: t.by.id, target: id, label: t.source.provision } });
    });
    details.append(ul);
  }
  if (n.mayTask) {
    details.append(el('h3', `May task (${n.mayTask.length})`));
    const ul = el('ul');
    n.mayTask.forEach((t, i) => {
      ul.append(item(t.unit.code ? `${t.unit.code} ${t.unit.name}` : t.unit.name, t.source.provision));
      if (cy.getElementById(t.unit.id).nonempty()) tasks.push({ group: 'edges', classes: 'tasking', data: { id: `task:${id}:${t.unit.id}:${i}`, source: id, target: t.unit.id, label: t.source.provision } });
    });
    details.append(ul);
  }
  cy.add(drawn.concat(tasks));
  details.dataset.node = id;
}

function applySearch() {
  const cy = state.cy;
  if (!cy) return;
  const terms = fold($('search').value).split(/\s+/).filter(Boolean);
  cy.nodes().removeClass('match');
  const box = $('matches');
  if (!terms.length) {
    box.hidden = true;
    return;
  }
  const hits = cy.nodes().filter((n) => {
    const text = fold(`${n.data('code')} ${n.data('name')}`);
    return terms.every((t) => text.includes(t));
  });
  hits.addClass('match');
  box.replaceChildren(el('h2', `${hits.length} found`));
  const ul = el('ul');
  hits.forEach((n) => {
    const li = el('li');
    const b = el('button', n.data('code') ? `${n.data('code')} ${n.data('name')}` : n.data('name'));
    b.type = 'button';
    b.addEventListener('click', () => {
      cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1) }, { duration: 200 });
      select(n.id());
    });
    li.append(b);
    ul.append(li);
  });
  box.append(ul);
  box.hidden = false;
}

function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function fileName(ext) {
  return `orgchart${state.scenario ? '-' + state.scenario : ''}${state.asOf ? '-' + state.asOf : ''}.${ext}`;
}

async function scenarios() {
  const sel = $('scenario');
  sel.replaceChildren(new Option('baseline', ''));
  try {
    const d = await gql('{ scenarios { id name status } }');
    for (const s of d.scenarios) sel.append(new Option(`${s.name} (${s.status.toLowerCase()})`, s.id));
  } catch (e) {
    status(e.message, true);
  }
  sel.value = state.scenario;
  if (sel.value !== state.scenario) sel.append(new Option(state.scenario, state.scenario, true, true));
}

function syncURL() {
  const u = new URL(location.href);
  for (const [k, v] of [['scenario', state.scenario], ['asOf', state.asOf], ['since', state.since], ['containers', state.containers ? '1' : '']]) {
    if (v) u.searchParams.set(k, v);
    else u.searchParams.delete(k);
  }
  history.replaceState(null, '', u);
}

async function redraw() {
  syncURL();
  try {
    await draw();
  } catch (e) {
    document.body.dataset.state = 'error';
    status(e.message, true);
  }
}

async function start() {
  const q = new URL(location.href).searchParams;
  state.scenario = q.get('scenario') || '';
  state.asOf = state.scenario ? '' : q.get('asOf') || '';
  state.since = state.scenario ? '' : q.get('since') || '';
  $('asof').value = state.asOf;
  $('since').value = state.since;
  state.containers = q.get('containers') === '1';
  state.selected = q.get('node') || '';
  $('containers').checked = state.containers;
  $('search').value = q.get('q') || '';
  $('token').value = sessionStorage.getItem(tokenKey) || '';
  $('search').addEventListener('input', applySearch);
  $('search').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const first = $('matches').querySelector('button');
    if (first) first.click();
  });
  $('scenario').addEventListener('change', (e) => {
    state.scenario = e.target.value;
    if (state.scenario) {
      // A scenario is read against today's baseline.
      state.asOf = state.since = '';
      $('asof').value = $('since').value = '';
    }
    redraw();
  });
  for (const [id, key] of [['asof', 'asOf'], ['since', 'since']]) {
    $(id).addEventListener('change', (e) => {
      state[key] = e.target.value;
      if (state[key]) {
        state.scenario = '';
        $('scenario').value = '';
      }
      redraw();
    });
  }
  $('containers').addEventListener('change', (e) => {
    state.containers = e.target.checked;
    state.baseline = null;
    redraw();
  });
  $('token-save').addEventListener('click', async () => {
    const t = $('token').value.trim();
    if (t) sessionStorage.setItem(tokenKey, t);
    else sessionStorage.removeItem(tokenKey);
    state.baseline = null;
    await scenarios();
    redraw();
  });
  $('svg').addEventListener('click', () => {
    download(fileName('svg'), new Blob([state.cy.svg({ full: true, bg: '#ffffff' })], { type: 'image/svg+xml' }));
  });
  $('png').addEventListener('click', () => {
    download(fileName('png'), state.cy.png({ full: true, output: 'blob', bg: '#ffffff', scale: 2 }));
  });
  await scenarios();
  await redraw();
}

start();
