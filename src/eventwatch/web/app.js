// The eventwatch map page: events on an offline basemap (clusters that split as you zoom, or counts per
// grid cell from the server when the selection is large), a sortable table of the events in view, a
// timeline with an axis and a brush (mouse and touch), a small chart by type, and a panel with each
// event's claims (with their quotes), sources and the evidence highlighted in their text.
// Article text comes from the open web: it is only ever inserted as text nodes, never as HTML.
"use strict";

const TYPE_COLOURS = {
  "Battles": "#d35400",
  "Explosions/Remote violence": "#c0392b",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const FILTERS = ["since", "until", "event_type", "admin1", "actor", "q", "min_fatalities", "background", "kind"];
const DEFAULTS = { background: "false", kind: "fused" };
const PAGE = 1000;  // the API's page size
const ROWS = 25;  // table rows per page
const urlParams = new URLSearchParams(location.search);
// Above this many matching events the map draws the server's counts per cell instead of each event.
const CLIENT_MAX = +(urlParams.get("client_max") || 1500);

const form = document.getElementById("filters");
const statusEl = document.getElementById("status");
const hintEl = document.getElementById("hint");
const panel = document.getElementById("panel");
const panelBody = document.getElementById("panel-body");

const map = L.map("map", { preferCanvas: false, worldCopyJump: true, maxZoom: 18 }).setView([35.0, 38.5], 7);
const clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
                                        spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon });
const cellLayer = L.layerGroup();
const labelLayer = L.layerGroup();
// Province boundaries sit above the country fill and below the markers (600), and never take a click.
map.createPane("admin1").style.zIndex = 450;  // over the country fill (overlayPane, 400)
map.getPane("admin1").style.pointerEvents = "none";
const admin1Layer = L.layerGroup();
map.addLayer(clusters);
map.addLayer(cellLayer);
map.addLayer(labelLayer);
const state = { mode: "events", features: [], byId: new Map(), markers: new Map(), sort: { key: "event_date", dir: -1 },
                page: 0, total: 0, serverRows: null, selected: null,
                newSince: null, onlyNew: false, newCount: null };  // "new since the last visit"
window.eventwatch = { map, clusters, state };  // for the browser tests and for users' own scripts

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function slug(text) {
  return String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function periodStart(key, by) {
  if (by === "week") {  // "YYYY-Www" (SQLite, Monday-based) or a day (PostgreSQL's date_trunc)
    const m = /^(\d{4})-W(\d{2})$/.exec(key);
    if (!m) return new Date(key + "T00:00:00Z");
    const jan1 = new Date(Date.UTC(+m[1], 0, 1));
    const firstMonday = new Date(jan1);
    firstMonday.setUTCDate(1 + ((8 - jan1.getUTCDay()) % 7));
    firstMonday.setUTCDate(firstMonday.getUTCDate() + 7 * (+m[2] - 1));
    return firstMonday;
  }
  if (by === "month") return new Date(key.slice(0, 7) + "-01T00:00:00Z");
  return new Date(key + "T00:00:00Z");
}

function periodEnd(start, by) {
  const end = new Date(start);
  if (by === "day") end.setUTCDate(end.getUTCDate() + 1);
  else if (by === "week") end.setUTCDate(end.getUTCDate() + 7);
  else end.setUTCMonth(end.getUTCMonth() + 1);
  end.setUTCDate(end.getUTCDate() - 1);
  return end;
}

const iso = (d) => d.toISOString().slice(0, 10);


function describeClaims(event) {
  // "Amaq: 8 killed · SANA: injuries only": what each voice said, side by side.
  const voices = new Map();
  for (const c of event.claims) {
    if (c.field === "responsibility") continue;
    const who = c.claimed_by || c.outlet || "a source";
    const what = `${c.value} ${c.field === "fatalities" ? "killed" : "injured"}`;
    if (!voices.has(who)) voices.set(who, []);
    if (!voices.get(who).includes(what)) voices.get(who).push(what);
  }
  return [...voices].map(([who, said]) =>
    `${who}: ${said.join(", ")}${said.every((s) => s.endsWith("injured")) ? " (injuries only)" : ""}`);
}

function highlightedText(text, spans) {
  // Non-overlapping spans, earliest first; each becomes a <mark> labelled with its field.
  const node = el("div", { class: "article-text" });
  const chosen = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (s.start < 0 || s.end > text.length || s.start >= s.end) continue;
    if (chosen.length && s.start < chosen[chosen.length - 1].end) {
      const last = chosen[chosen.length - 1];
      if (s.start === last.start && s.end === last.end && !last.fields.includes(s.field)) last.fields.push(s.field);
      continue;
    }
    chosen.push({ start: s.start, end: s.end, fields: [s.field] });
  }
  let at = 0;
  for (const s of chosen) {
    node.append(document.createTextNode(text.slice(at, s.start)));
    const mark = el("mark", { class: "ev-span " + s.fields.map((f) => `f-${f}`).join(" "),
                              dataset: { field: s.fields.join(" ") }, title: s.fields.join(", ") },
                    text.slice(s.start, s.end), el("sup", { class: "field" }, s.fields.join(", ")));
    node.append(mark);
    at = s.end;
  }
  node.append(document.createTextNode(text.slice(at)));
  return node;
}


// --- filters <-> URL -----------------------------------------------------------------------------

function readFilters() {
  const data = new FormData(form);
  const out = {};
  for (const name of FILTERS) {
    const v = (data.get(name) || "").toString().trim();
    if (v !== "" && v !== DEFAULTS[name]) out[name] = v;
  }
  return out;
}

function apiFilters(filters) {
  // What the API is sent: news only unless asked otherwise ("all" sends no background filter); with
  // "show only new", only the events first stored since the last visit.
  const out = { ...filters };
  if (!("background" in out)) out.background = DEFAULTS.background;
  if (out.background === "all") delete out.background;
  if (state.onlyNew && state.newSince) out.stored_since = state.newSince;
  return out;
}

function writeFilters(filters) {
  for (const name of FILTERS) {
    const field = form.elements.namedItem(name);
    if (field) field.value = filters[name] || DEFAULTS[name] || "";
  }
}

function syncUrl(filters) {
  const params = new URLSearchParams(filters);
  const openId = panel.hidden ? null : panel.dataset.eventId;
  if (openId) params.set("event", openId);
  if (urlParams.get("client_max")) params.set("client_max", urlParams.get("client_max"));
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response.json();
}

// --- map -------------------------------------------------------------------------------------------

async function loadBasemap(config) {
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: 18, attribution: "tiles: " + new URL(config.tiles.replace(/[{}]/g, ""), location.href).host }).addTo(map);
  }
  const topo = await getJson("/static/vendor/natural-earth/countries-50m.json");
  const countries = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(countries, {
    style: { color: "#888", weight: 1, fillColor: "#f2efe6", fillOpacity: config.tiles ? 0 : 1 },
    interactive: false,
  }).addTo(map);
  map.attributionControl.addAttribution("borders and provinces: Natural Earth; town names: GeoNames (CC BY 4.0)");
}

// --- new since the last visit ------------------------------------------------------------------------
// The time of each visit is kept in localStorage, as the server's clock told it (events' `stored_at` come
// from that clock). An event is new when it was first stored at or after the previous visit.

const VISIT_KEY = "eventwatch.lastVisit";

function readLastVisit() {
  try {
    const value = localStorage.getItem(VISIT_KEY);
    return value && !Number.isNaN(Date.parse(value)) ? value : null;
  } catch (e) {
    return null;  // storage disabled: every visit is a first one
  }
}

function rememberVisit(now) {
  if (!now) return;
  try { localStorage.setItem(VISIT_KEY, now); } catch (e) { /* storage disabled or full */ }
}

function isNew(p) {
  return Boolean(state.newSince && p.stored_at && Date.parse(p.stored_at) >= Date.parse(state.newSince));
}

function clusterIcon(cluster) {
  // Leaflet.markercluster's own icon, with a ring when the cluster holds an event that is new.
  const n = cluster.getChildCount();
  const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
  const fresh = state.newSince !== null && cluster.getAllChildMarkers().some((m) => m.options.isNew);
  return L.divIcon({ html: `<div><span>${n}</span></div>`, iconSize: L.point(40, 40),
                     className: `marker-cluster marker-cluster-${size}` + (fresh ? " has-new" : "") });
}

async function updateNewLine(base) {
  // "N new since <time>" in the current selection (its other filters), and the toggle.
  const line = document.getElementById("new-since");
  const count = document.getElementById("new-count");
  const toggle = document.getElementById("only-new-label");
  line.hidden = false;
  if (!state.newSince) {
    count.textContent = "First visit: events stored from now on will be marked new on your next visit.";
    count.dataset.count = "";
    toggle.hidden = true;
    return;
  }
  const params = { ...base, stored_since: state.newSince, limit: 1 };
  const page = await getJson(`/api/events?${new URLSearchParams(params)}`).catch(() => null);
  if (!page) return;
  state.newCount = page.total;
  const when = new Date(state.newSince).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  count.textContent = `${page.total}${page.total_exact ? "" : "+"} new since ${when}`;
  count.title = `first stored since your last visit (${state.newSince})`;
  count.dataset.count = String(page.total);
  toggle.hidden = page.total === 0 && !state.onlyNew;
}

// --- province boundaries: Natural Earth admin-1, vendored (vendor/natural-earth/admin1/SOURCE.md) ---------
// One small TopoJSON per country, fetched only from zoom ADMIN1_FROM_ZOOM and only for the countries in
// view; an index gives the tiles each country's provinces touch and every province's label point, name
// and area.

const ADMIN1_DIR = "/static/vendor/natural-earth/admin1";
const ADMIN1_FROM_ZOOM = 4;
const ADMIN1_NAMES_FROM_ZOOM = 5;
const admin1 = { index: null, loading: null, countries: new Map() };  // ISO3 -> layer (or a promise of it)

function admin1Index() {
  if (!admin1.loading) {
    admin1.loading = getJson(`${ADMIN1_DIR}/index.json`).then((index) => { admin1.index = index; return index; })
      .catch((err) => { admin1.loading = null; throw err; });
  }
  return admin1.loading;
}

function admin1Country(iso3) {
  if (!admin1.countries.has(iso3)) {
    const pending = getJson(`${ADMIN1_DIR}/${iso3}.json`).then((topo) => {
      const object = topo.objects.provinces;
      // the borders between provinces, each once (a file without shared arcs: every ring)
      const lines = topo.unshared ? topojson.mesh(topo, object) : topojson.mesh(topo, object, (a, b) => a !== b);
      const layer = L.geoJSON(lines, { pane: "admin1", interactive: false,
                                       style: { className: `admin1-boundary admin1-${iso3}`, color: "#9c8a6a",
                                                weight: 1, opacity: 0.9, dashArray: "4 3", fill: false } });
      admin1.countries.set(iso3, layer);
      admin1Layer.addLayer(layer);
      return layer;
    }).catch(() => { admin1.countries.delete(iso3); });
    admin1.countries.set(iso3, pending);
  }
  return admin1.countries.get(iso3);
}

async function loadAdmin1() {
  // The boundaries of the provinces of every country in view, from zoom ADMIN1_FROM_ZOOM.
  if (map.getZoom() < ADMIN1_FROM_ZOOM) {
    map.removeLayer(admin1Layer);
    return;
  }
  map.addLayer(admin1Layer);
  const index = await admin1Index();
  const view = map.getBounds(), size = index.tile_degrees, columns = 360 / size;
  const tile = (v, lo, n) => Math.max(0, Math.min(n - 1, Math.floor((v - lo) / size)));
  const inView = new Set();
  for (let r = tile(view.getSouth(), -90, 180 / size); r <= tile(view.getNorth(), -90, 180 / size); r += 1) {
    for (let c = tile(view.getWest(), -180, columns); c <= tile(view.getEast(), -180, columns); c += 1) {
      inView.add(r * columns + c);
    }
  }
  // the countries one of whose provinces' tiles is in view (index.countries: ISO3 -> tiles)
  const wanted = Object.entries(index.countries).filter(([, tiles]) => tiles.some((t) => inView.has(t)))
    .map(([iso3]) => iso3);
  await Promise.all(wanted.map(admin1Country));
  document.body.dataset.admin1 = [...admin1.countries.keys()].filter((k) => !(admin1.countries.get(k) instanceof Promise))
    .sort().join(",");
}

function provinceLabels() {
  // Province names whose label point is in view, the larger first; smaller provinces as the map zooms in.
  const zoom = map.getZoom();
  if (!admin1.index || zoom < ADMIN1_NAMES_FROM_ZOOM) return [];
  const view = map.getBounds().pad(0.1);
  const smallest = 0.5 / 4 ** (zoom - ADMIN1_NAMES_FROM_ZOOM);  // square degrees
  const out = [];
  for (const [name, lon, lat, , area] of admin1.index.labels) {  // sorted by area, largest first
    if (area < smallest || out.length >= 150) break;
    if (view.contains([lat, lon])) out.push({ kind: "admin1", name, latitude: lat, longitude: lon });
  }
  return out;
}

let labelSerial = 0;
async function loadLabels() {
  // Province names from the vendored boundaries (the gazetteer's own where they cannot be had) and town
  // names from the server's offline gazetteer (none below zoom 5).
  const serial = ++labelSerial;
  const boundaries = loadAdmin1().then(() => Boolean(admin1.index)).catch(() => false);
  // Below zoom 7 the server has only province names, which the boundaries give: ask only if they fail.
  const towns = () => getJson(`/api/labels?${new URLSearchParams({ bbox: viewBbox(0.2), zoom: map.getZoom() })}`)
    .catch(() => ({ labels: [] }));
  const [data, withBoundaries] = map.getZoom() >= 7
    ? await Promise.all([towns(), boundaries])
    : await boundaries.then(async (ok) => [ok ? { labels: [] } : await towns(), ok]);
  if (serial !== labelSerial) return;
  labelLayer.clearLayers();
  const labels = withBoundaries ? [...provinceLabels(), ...data.labels.filter((l) => l.kind !== "admin1")] : data.labels;
  document.body.dataset.provinceLabels = String(labels.filter((l) => l.kind === "admin1").length);
  for (const l of labels) {
    const icon = L.divIcon({ className: `${l.kind === "admin1" ? "admin1-label" : "town-label"}`, html: "", iconSize: null });
    const m = L.marker([l.latitude, l.longitude], { icon, interactive: false, keyboard: false, zIndexOffset: -1000 });
    m.on("add", () => { if (m.getElement()) m.getElement().replaceChildren(el("span", {}, l.name)); });
    labelLayer.addLayer(m);
  }
}

function markerFor(feature) {
  const p = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const colour = TYPE_COLOURS[p.event_type] || "#555";
  const size = Math.round(10 + Math.min(26, 3 * Math.sqrt(p.fatalities || 0)));
  const province = p.placed_at === "admin1";
  const fresh = isNew(p);
  const icon = L.divIcon({
    className: `event-marker type-${slug(p.event_type)} ev-${feature.id}` + (province ? " province-level" : "") +
               (fresh ? " is-new" : ""),
    iconSize: [size, size], html: "",
  });
  const marker = L.marker([lat, lon], { icon, keyboard: false, title: "", isNew: fresh, zIndexOffset: fresh ? 1000 : 0 });
  marker.on("add", () => {
    const node = marker.getElement();
    if (node) {
      node.style.background = colour;
      node.dataset.eventId = feature.id;
    }
  });
  marker.bindTooltip(`${p.event_date || "?"} · ${p.sub_event_type} · ${placeOf(p)}` +
                     ` · ${p.fatalities} killed` + (province ? " (placed at its province)" : "") +
                     (fresh ? " · new since your last visit" : ""));
  marker.on("click", () => selectEvent(feature.id, { from: "map" }));
  marker.on("mouseover", () => hoverRow(feature.id, true));
  marker.on("mouseout", () => hoverRow(feature.id, false));
  return marker;
}

function placeOf(p) {
  return [p.location, p.admin1].filter((x, i, a) => x && a.indexOf(x) === i).join(", ");
}

function cellSize(zoom) {
  // About 40 px per cell on screen: 360° / 2^zoom / 256 px × 40.
  return Math.max(0.01, Math.min(20, 360 / 2 ** zoom / 256 * 40));
}

function viewBbox(pad = 0) {
  const b = map.getBounds().pad(pad);
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
          clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(4)).join(",");
}

function drawCells(cells) {
  cellLayer.clearLayers();
  for (const c of cells) {
    if (c.latitude === null || c.longitude === null) continue;
    const size = Math.round(22 + Math.min(30, 4 * Math.log2(1 + c.events)));
    const icon = L.divIcon({ className: "agg-cell" + (c.province ? " province" : ""), iconSize: [size, size],
                             html: String(c.events) });
    const m = L.marker([c.latitude, c.longitude], { icon });
    m.bindTooltip(`${c.events} events, ${c.fatalities} killed` + (c.province ? ` (known only to ${c.admin1})` : "") +
                  (c.first ? `, ${c.first} to ${c.last}` : ""));
    m.on("click", () => map.setView([c.latitude, c.longitude], Math.min(18, map.getZoom() + 2)));
    cellLayer.addLayer(m);
  }
}

let loadSerial = 0;
async function loadEvents() {
  const filters = readFilters();
  syncUrl(filters);
  const serial = ++loadSerial;
  const base = apiFilters(filters);
  statusEl.textContent = "loading…";
  document.body.dataset.loading = "true";
  try {
    // Two counts: of the whole selection (the status, and whether to draw each event), and per cell of
    // the view and its surroundings (what is drawn when the selection is large).
    const [all, agg] = await Promise.all([
      getJson(`/api/aggregate?${new URLSearchParams({ ...base, by: "total" })}`),
      getJson(`/api/aggregate?${new URLSearchParams({ ...base, cell: cellSize(map.getZoom()), bbox: viewBbox(0.5) })}`),
    ]);
    if (serial !== loadSerial) return;
    state.total = all.total;
    agg.total = all.total;
    if (agg.total <= CLIENT_MAX) {
      await loadFeatures(base, serial);
    } else {
      await loadView(base, serial, agg);
    }
    if (serial !== loadSerial) return;
    showHint(base, agg.total);
    updateStatus();
    const { stored_since: _, ...others } = base;
    await updateNewLine(others);
  } catch (err) {
    statusEl.textContent = `could not load events: ${err.message}`;
  }
  document.body.dataset.loading = "false";
  state.page = 0;
  renderTable();
  updateDownloads(filters);
  loadTimeline(filters);
}

async function fetchAllFeatures(params, serial) {
  // The first page says how many there are; the other pages are asked for together.
  const url = (offset) => `/api/events?${new URLSearchParams({ ...params, format: "geojson", limit: PAGE, offset })}`;
  const first = await getJson(url(0));
  if (serial !== loadSerial) return null;
  const offsets = [];
  for (let o = PAGE; o < Math.min(first.total, CLIENT_MAX); o += PAGE) offsets.push(o);
  const rest = await Promise.all(offsets.map((o) => getJson(url(o))));
  if (serial !== loadSerial) return null;
  return first.features.concat(...rest.map((d) => d.features));
}

async function loadFeatures(base, serial, extra = {}) {
  const features = await fetchAllFeatures({ ...base, ...extra }, serial);
  if (features === null) return;
  state.mode = "events";
  cellLayer.clearLayers();
  clusters.clearLayers();
  state.features = features;
  state.byId = new Map(features.map((f) => [f.id, f]));
  state.markers = new Map();
  const layers = [];
  for (const f of features) {
    if (!f.geometry) continue;
    const m = markerFor(f);
    state.markers.set(f.id, m);
    layers.push(m);
  }
  clusters.addLayers(layers);
}

async function loadView(base, serial, agg) {
  // A large selection: counts per cell; once the view holds few enough events, the events themselves.
  const inView = await getJson(`/api/events?${new URLSearchParams({ ...base, bbox: viewBbox(), limit: 1 })}`);
  if (serial !== loadSerial) return;
  if (inView.total_exact && inView.total <= CLIENT_MAX && map.getZoom() >= 8) {
    await loadFeatures(base, serial, { bbox: viewBbox() });
    return;
  }
  state.mode = "cells";
  clusters.clearLayers();
  state.features = [];
  state.byId = new Map();
  state.markers = new Map();
  drawCells(agg.cells);
}

function updateStatus() {
  const placed = state.markers.size;
  const province = state.features.filter((f) => f.properties.placed_at === "admin1").length;
  statusEl.dataset.mode = state.mode;
  statusEl.dataset.markers = String(placed);
  statusEl.dataset.total = String(state.total);
  statusEl.dataset.new = String(state.features.filter((f) => isNew(f.properties)).length);
  statusEl.textContent = state.mode === "cells"
    ? `${state.total} events: counts per area (zoom in to see each event)`
    : `${state.total} events; ${placed} on the map` + (province ? ` (${province} placed at their province)` : "") +
      (state.features.length - placed ? `; ${state.features.length - placed} without a place` : "");
}

function showHint(base, total) {
  hintEl.hidden = true;
  if (total > 0) return;
  getJson(`/api/events?${new URLSearchParams({ ...base, limit: 1 })}`).then((page) => {
    if (page.hint) {
      hintEl.textContent = page.hint;
      hintEl.hidden = false;
    }
  }).catch(() => {});
}

let moveTimer = null;
map.on("moveend", () => {
  clearTimeout(moveTimer);
  moveTimer = setTimeout(() => {
    loadLabels();
    if (state.mode === "cells" || (state.total > CLIENT_MAX)) {
      loadEvents();
    } else {
      state.page = 0;
      renderTable();
    }
  }, 150);
});

// --- the table of events in view ----------------------------------------------------------------------

const tbody = document.querySelector("#events-table tbody");
const SERVER_SORT = { event_date: "date", fatalities: "fatalities" };

function visibleFeatures() {
  const bounds = map.getBounds();
  return state.features.filter((f) => {
    if (!f.geometry) return false;
    const [lon, lat] = f.geometry.coordinates;
    return bounds.contains([lat, lon]);
  });
}

function sortValue(p, key) {
  if (key === "location") return placeOf(p).toLowerCase();
  if (key === "actor1") return [p.actor1, p.actor2].filter(Boolean).join(" ").toLowerCase();
  const v = p[key];
  return v === null || v === undefined ? "" : (typeof v === "string" ? v.toLowerCase() : v);
}

async function renderTable() {
  const { key, dir } = state.sort;
  let rows, total;
  if (state.mode === "events") {
    const inView = visibleFeatures();
    inView.sort((a, b) => {
      const x = sortValue(a.properties, key), y = sortValue(b.properties, key);
      return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.id < b.id ? -1 : 1);
    });
    total = inView.length;
    rows = inView.slice(state.page * ROWS, (state.page + 1) * ROWS).map((f) => ({ id: f.id, ...f.properties }));
  } else {
    const order = (dir < 0 ? "-" : "") + (SERVER_SORT[key] || "date");
    const params = { ...apiFilters(readFilters()), bbox: viewBbox(), order, limit: ROWS, offset: state.page * ROWS };
    const data = await getJson(`/api/events?${new URLSearchParams(params)}`).catch(() => null);
    if (!data) return;
    total = data.total;
    rows = data.events.map((e) => ({ id: e.event_id, ...e }));
  }
  tbody.replaceChildren();
  for (const r of rows) {
    const fresh = isNew(r);
    const badge = fresh ? el("span", { class: "new-badge", title: `first stored ${r.stored_at}` }, "new") : null;
    const tr = el("tr", { dataset: { eventId: r.id }, class: fresh ? "is-new" : "" },
                  el("td", {}, badge, r.event_date || ""), el("td", {}, r.sub_event_type),
                  el("td", {}, [r.actor1, r.actor2].filter(Boolean).join(" vs ")),
                  el("td", {}, placeOf(r) + (r.placed_at === "admin1" ? " (province)" : "")),
                  el("td", {}, r.fatalities), el("td", {}, r.n_sources));
    if (r.id === state.selected) tr.classList.add("selected");
    tr.addEventListener("click", () => selectEvent(r.id, { from: "table" }));
    tr.addEventListener("mouseenter", () => hoverMarker(r.id, true));
    tr.addEventListener("mouseleave", () => hoverMarker(r.id, false));
    tbody.append(tr);
  }
  const pages = Math.max(1, Math.ceil(total / ROWS));
  document.getElementById("list-count").textContent = `${total} events in view`;
  document.getElementById("list-count").dataset.count = String(total);
  document.getElementById("page-label").textContent = `page ${state.page + 1} of ${pages}`;
  document.getElementById("prev-page").disabled = state.page === 0;
  document.getElementById("next-page").disabled = state.page + 1 >= pages;
  for (const b of document.querySelectorAll("#events-table th button")) {
    b.classList.toggle("asc", b.dataset.sort === key && dir > 0);
    b.classList.toggle("desc", b.dataset.sort === key && dir < 0);
    b.disabled = state.mode === "cells" && !(b.dataset.sort in SERVER_SORT);
  }
}

for (const b of document.querySelectorAll("#events-table th button")) {
  b.addEventListener("click", () => {
    const key = b.dataset.sort;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : (key === "event_date" || key === "fatalities" ? -1 : 1) };
    state.page = 0;
    renderTable();
  });
}
document.getElementById("prev-page").addEventListener("click", () => { state.page = Math.max(0, state.page - 1); renderTable(); });
document.getElementById("next-page").addEventListener("click", () => { state.page += 1; renderTable(); });

function hoverRow(id, on) {
  const tr = tbody.querySelector(`tr[data-event-id="${CSS.escape(id)}"]`);
  if (tr) tr.classList.toggle("hover", on);
}

function hoverMarker(id, on) {
  const m = state.markers.get(id);
  const node = m && m.getElement();
  if (node) node.classList.toggle("selected", on || id === state.selected);
}

function selectEvent(id, { from }) {
  const previous = state.selected && state.markers.get(state.selected);
  if (previous && previous.getElement()) previous.getElement().classList.remove("selected");
  state.selected = id;
  for (const tr of tbody.querySelectorAll("tr.selected")) tr.classList.remove("selected");
  const tr = tbody.querySelector(`tr[data-event-id="${CSS.escape(id)}"]`);
  if (tr) tr.classList.add("selected");
  const m = state.markers.get(id);
  if (m && from === "table") {
    clusters.zoomToShowLayer(m, () => { if (m.getElement()) m.getElement().classList.add("selected"); });
  } else if (m && m.getElement()) {
    m.getElement().classList.add("selected");
  }
  openEvent(id);
}

function updateDownloads(filters) {
  const params = apiFilters(filters);
  for (const [id, format] of [["dl-csv", "acled-csv"], ["dl-geojson", "geojson"], ["dl-jsonl", "jsonl"]]) {
    document.getElementById(id).href = `/api/export?${new URLSearchParams({ ...params, format })}`;
  }
}

// --- timeline --------------------------------------------------------------------------------------

const chart = document.getElementById("chart");
const mini = document.getElementById("mini");
const SVG = "http://www.w3.org/2000/svg";
let timeline = { rows: [], by: "month", t0: 0, t1: 0 };

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

const DAY = 86400000;

function robustRange(rows) {
  // Leading or trailing periods holding a sliver of the events and far from the rest (a 1982 event
  // recalled in a 2016 report) are left out of the range, and counted beside the chart; a lone event
  // counts as a sliver however few the events are.
  const total = rows.reduce((n, r) => n + r.events, 0), sliver = Math.max(1, 0.02 * total);
  let lo = 0, hi = rows.length - 1, outside = 0;
  const far = (a, b) => Math.abs(periodStart(rows[b].key, "month") - periodStart(rows[a].key, "month")) > 365 * DAY;
  while (lo < hi && rows[lo].events <= sliver && far(lo, lo + 1)) { outside += rows[lo].events; lo += 1; }
  while (hi > lo && rows[hi].events <= sliver && far(hi - 1, hi)) { outside += rows[hi].events; hi -= 1; }
  return { t0: periodStart(rows[lo].key, "month").getTime(),
           t1: periodEnd(periodStart(rows[hi].key, "month"), "month").getTime() + DAY, outside };
}

async function loadTimeline(filters) {
  const { since, until, ...rest } = apiFilters(filters);
  // The timeline shows the whole period of the other filters, so a range can be brushed anywhere.
  const probe = await getJson(`/api/stats?${new URLSearchParams({ ...rest, by: "month" })}`).catch(() => null);
  if (!probe) return;
  const months = probe.rows.filter((r) => r.key);
  if (!months.length) {
    timeline = { rows: [], by: "month", t0: 0, t1: 0 };
    drawTimeline(filters.since, filters.until);
    return;
  }
  const { t0, t1, outside } = robustRange(months);
  const span = (t1 - t0) / DAY;
  const by = span <= 95 ? "day" : span <= 740 ? "week" : "month";
  const data = by === "month" ? probe : await getJson(`/api/stats?${new URLSearchParams({ ...rest, by })}`);
  const rows = data.rows.filter((r) => r.key).filter((r) => {
    const t = periodStart(r.key, by).getTime();
    return t >= t0 - 7 * DAY && t < t1;
  });
  timeline = { rows, by, t0, t1, outside };
  drawTimeline(filters.since, filters.until);
}

function ticks(t0, t1, width) {
  // Year ticks for long ranges, months for shorter ones, days for a few weeks; labels at least 60 px apart.
  const out = [];
  const span = (t1 - t0) / DAY;
  const start = new Date(t0);
  if (span > 3 * 365) {
    for (let y = start.getUTCFullYear(); Date.UTC(y, 0, 1) < t1; y += 1) {
      if (Date.UTC(y, 0, 1) >= t0) out.push([Date.UTC(y, 0, 1), String(y)]);
    }
  } else if (span > 60) {
    for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)); d.getTime() < t1;
         d.setUTCMonth(d.getUTCMonth() + 1)) {
      if (d.getTime() >= t0) out.push([d.getTime(), iso(d).slice(0, 7)]);
    }
  } else {
    for (let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()); t < t1; t += DAY) {
      if (t >= t0) out.push([t, iso(new Date(t)).slice(5)]);
    }
  }
  const every = Math.max(1, Math.ceil(out.length / Math.max(1, Math.floor(width / 60))));
  return out.map(([t, label], i) => [t, i % every === 0 ? label : null]);
}

function drawTimeline(since, until) {
  chart.replaceChildren();
  const { rows, by, t0, t1 } = timeline;
  const width = chart.clientWidth || 800, height = 96, axis = 16, top = 4;
  document.getElementById("outside-label").textContent = timeline.outside
    ? `${timeline.outside} event(s) far outside this range not drawn` : "";
  if (!rows.length) return;
  const x = (t) => ((t - t0) / Math.max(1, t1 - t0)) * width;
  const max = Math.max(...rows.map((r) => r.events));
  const lo = since ? new Date(since + "T00:00:00Z").getTime() : null;
  const hi = until ? new Date(until + "T00:00:00Z").getTime() : null;
  rows.forEach((r) => {
    const a = periodStart(r.key, by).getTime(), b = periodEnd(periodStart(r.key, by), by).getTime() + DAY;
    const h = ((height - axis - top) * r.events) / max;
    const inside = (lo === null || b > lo) && (hi === null || a <= hi);
    const bar = svg("rect", { x: x(a), width: Math.max(1, x(b) - x(a) - 1), y: height - axis - h, height: h,
                              class: "bar" + ((lo !== null || hi !== null) && inside ? " in" : ""),
                              "data-from": iso(new Date(a)), "data-to": iso(new Date(b - DAY)) });
    bar.append(svg("title", {}, `${r.key}: ${r.events} events, ${r.fatalities} killed (click: select this ${by})`));
    chart.append(bar);
  });
  chart.append(svg("line", { x1: 0, x2: width, y1: height - axis, y2: height - axis, class: "tick" }));
  for (const [t, label] of ticks(t0, t1, width)) {
    chart.append(svg("line", { x1: x(t), x2: x(t), y1: height - axis, y2: height - axis + (label ? 5 : 3), class: "tick" }));
    if (label) chart.append(svg("text", { x: x(t) + 2, y: height - 3, class: "tick-label" }, label));
  }
  if (lo !== null || hi !== null) {  // the selected range stays visible
    const a = lo === null ? 0 : x(lo), b = hi === null ? width : x(hi + DAY);
    chart.append(svg("rect", { class: "brush", x: Math.max(0, a), width: Math.max(2, Math.min(width, b) - Math.max(0, a)),
                               y: 0, height: height - axis }));
  }
  chart.dataset.t0 = t0;
  chart.dataset.t1 = t1;
  chart.dataset.by = by;
  document.getElementById("range-label").textContent =
    since || until ? `time range: ${since || "…"} to ${until || "…"}` : "drag on the chart to select a time range";
  document.getElementById("clear-range").hidden = !(since || until);
  drawMini();
}

function drawMini() {
  // Events (stacked by type) and fatalities (line) per period for the selection.
  mini.replaceChildren();
  const { by, t0, t1 } = timeline;
  if (!t1) return;
  const width = mini.clientWidth || 800, height = 70, axis = 12;
  const since = form.elements.namedItem("since").value, until = form.elements.namedItem("until").value;
  const a0 = since ? Math.max(t0, new Date(since + "T00:00:00Z").getTime()) : t0;
  const a1 = until ? Math.min(t1, new Date(until + "T00:00:00Z").getTime() + DAY) : t1;
  const buckets = new Map();
  const add = (key, type, n, killed) => {
    if (!buckets.has(key)) buckets.set(key, { types: {}, killed: 0, n: 0 });
    const b = buckets.get(key);
    b.types[type] = (b.types[type] || 0) + n;
    b.killed += killed;
    b.n += n;
  };
  const keyOf = (date) => {
    const d = new Date(date + "T00:00:00Z");
    if (by === "day") return iso(d);
    if (by === "month") return iso(d).slice(0, 7) + "-01";
    const monday = new Date(d); monday.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return iso(monday);
  };
  if (state.mode === "events") {
    for (const f of state.features) {
      if (f.properties.event_date) add(keyOf(f.properties.event_date), f.properties.event_type, 1, f.properties.fatalities || 0);
    }
  } else {
    for (const r of timeline.rows) add(iso(periodStart(r.key, by)), "all", r.events, r.fatalities);
  }
  const x = (t) => ((t - a0) / Math.max(1, a1 - a0)) * width;
  const entries = [...buckets].filter(([k]) => { const t = new Date(k + "T00:00:00Z").getTime(); return t >= a0 - 7 * DAY && t < a1; });
  if (!entries.length) return;
  const maxN = Math.max(...entries.map(([, b]) => b.n)), maxK = Math.max(1, ...entries.map(([, b]) => b.killed));
  const points = [];
  for (const [k, b] of entries.sort()) {
    const s = new Date(k + "T00:00:00Z"), e = periodEnd(s, by).getTime() + DAY;
    let y = height - axis;
    for (const [type, n] of Object.entries(b.types)) {
      const h = ((height - axis - 4) * n) / maxN;
      y -= h;
      mini.append(svg("rect", { x: x(s.getTime()), y, width: Math.max(1, x(e) - x(s.getTime()) - 1), height: h,
                                fill: TYPE_COLOURS[type] || "#7a8ea8", class: "mini-bar" }));
    }
    points.push(`${(x(s.getTime()) + x(e)) / 2},${height - axis - ((height - axis - 4) * b.killed) / maxK}`);
  }
  mini.append(svg("polyline", { points: points.join(" "), class: "fatalities" }));
  mini.append(svg("text", { x: 2, y: height - 1 }, `events by type (bars, max ${maxN}) and killed (line, max ${maxK}) per ${by}`));
}

let brush = null;
function chartTime(clientX) {
  const box = chart.getBoundingClientRect();
  const t0 = +chart.dataset.t0, t1 = +chart.dataset.t1;
  const share = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
  return new Date(t0 + share * (t1 - t0));
}
chart.addEventListener("pointerdown", (evt) => {
  if (!chart.dataset.t0) return;
  evt.preventDefault();
  try { chart.setPointerCapture(evt.pointerId); } catch (e) { /* a synthetic pointer */ }
  const left = chart.getBoundingClientRect().left;
  brush = { x0: evt.clientX - left, clientX0: evt.clientX, rect: svg("rect", { class: "brush", y: 0, height: 80, x: evt.clientX - left, width: 0 }) };
  chart.append(brush.rect);
});
chart.addEventListener("pointermove", (evt) => {
  if (!brush) return;
  const now = evt.clientX - chart.getBoundingClientRect().left;
  brush.rect.setAttribute("x", Math.min(brush.x0, now));
  brush.rect.setAttribute("width", Math.abs(now - brush.x0));
});
function endBrush(evt) {
  if (!brush) return;
  const { clientX0 } = brush;
  brush = null;
  let a, b;
  if (Math.abs(evt.clientX - clientX0) < 4) {  // a click: the period of the bar under the pointer
    const t = chartTime(evt.clientX).getTime();
    const bar = [...chart.querySelectorAll("rect.bar")].find((r) =>
      new Date(r.dataset.from + "T00:00:00Z").getTime() <= t && t < new Date(r.dataset.to + "T00:00:00Z").getTime() + DAY);
    if (!bar) { drawTimeline(form.elements.namedItem("since").value, form.elements.namedItem("until").value); return; }
    [a, b] = [bar.dataset.from, bar.dataset.to];
  } else {
    const from = iso(chartTime(clientX0)), to = iso(chartTime(evt.clientX));
    [a, b] = from <= to ? [from, to] : [to, from];
  }
  form.elements.namedItem("since").value = a;
  form.elements.namedItem("until").value = b;
  loadEvents();
}
chart.addEventListener("pointerup", endBrush);
chart.addEventListener("pointercancel", () => { brush = null; });
document.getElementById("clear-range").addEventListener("click", () => {
  form.elements.namedItem("since").value = "";
  form.elements.namedItem("until").value = "";
  loadEvents();
});

function safeUrl(url) {
  // Only web addresses become links (never javascript: or data:).
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) {
    return null;
  }
}

function claimLedger(event) {
  // Every figure with who said it, the outlet that carried it, its date and the sentence it came from.
  const published = new Map(event.sources.map((s) => [s.article_id, s.published]));
  const list = el("ul", { class: "ledger", "aria-label": "claims with their quotes" });
  for (const c of event.claims) {
    const what = c.field === "responsibility" ? `claims responsibility: ${c.value}`
      : `${c.value} ${c.field === "fatalities" ? "killed" : c.field === "injuries" ? "injured" : c.field}`;
    const who = [c.claimed_by, c.outlet, published.get(c.article_id)].filter(Boolean).join(" · ");
    const li = el("li", { dataset: { field: c.field, articleId: c.article_id } },
                  el("strong", {}, what), " ", el("span", { class: "who" }, who ? `— ${who}` : ""));
    if (c.quote) li.append(el("q", { class: "quote" }, c.quote));
    list.append(li);
  }
  return list;
}

async function openEvent(eventId) {
  let event;
  try {
    event = await getJson(`/api/events/${encodeURIComponent(eventId)}`);
  } catch (err) {
    statusEl.textContent = `could not open event: ${err.message}`;
    return;
  }
  panel.hidden = false;
  panel.dataset.eventId = event.event_id;
  panelBody.replaceChildren();
  const range = event.fatalities_high !== null && event.fatalities_high !== event.fatalities_low
    ? ` (reports range ${event.fatalities_low}–${event.fatalities_high})` : "";
  const fields = [
    ["date", event.event_date + (event.date_end ? ` to ${event.date_end}` : "") + ` (precision ${event.time_precision})`],
    ["type", `${event.event_type} › ${event.sub_event_type}`],
    ["actor 1", [event.actor1, event.assoc_actor_1].filter(Boolean).join("; ")],
    ["actor 2", [event.actor2, event.assoc_actor_2].filter(Boolean).join("; ")],
    ["place", [event.location, event.admin2, event.admin1, event.country].filter((x, i, a) => x && a.indexOf(x) === i).join(", ") +
              (event.geo_precision ? ` (precision ${event.geo_precision})` : "")],
    ["fatalities", `${event.fatalities}${range}`],
    ["injuries", event.injuries ?? ""],
    ["weapon", event.weapon || ""],
    ["claimed by", event.claimed_by || ""],
    ["background", event.background ? "yes: recalled as context" : "no"],
  ];
  const dl = el("dl");
  for (const [k, v] of fields) dl.append(el("dt", {}, k), el("dd", {}, v));
  panelBody.append(el("h2", {}, `${event.sub_event_type}, ${event.event_date || "date unknown"}`), dl,
                   el("p", { class: "notes" }, event.notes));
  const claims = describeClaims(event);
  if (claims.length) {
    const box = el("div", { class: "claims", "aria-label": "claims" });
    claims.forEach((c, i) => {
      box.append(el("span", { class: "claim" }, c));
      if (i < claims.length - 1) box.append(" · ");
    });
    panelBody.append(el("h3", {}, "Who claimed what"), box);
  }
  if (event.claims.length) panelBody.append(el("h3", {}, "Claims and their quotes"), claimLedger(event));
  const table = el("table", { class: "reports" });
  table.append(el("tr", {}, ...["outlet", "date", "type", "place", "killed", "injured", "links"].map((h) => el("th", {}, h))));
  const urls = new Map(event.sources.map((s) => [s.article_id, s.url]));
  for (const r of event.reports) {
    const otherType = r.sub_event_type !== event.sub_event_type;
    const otherPlace = r.admin1 && event.admin1 && r.admin1 !== event.admin1;
    const links = el("td", {}, el("a", { href: `#src-${slug(r.article_id)}`, class: "to-text" }, "text"));
    const original = safeUrl(urls.get(r.article_id));
    if (original) links.append(" · ", el("a", { href: original, target: "_blank", rel: "noopener noreferrer", class: "original" }, "original"));
    table.append(el("tr", { dataset: { articleId: r.article_id } },
                    el("td", {}, r.outlet || r.article_id), el("td", {}, r.event_date || ""),
                    el("td", otherType ? { class: "disagree", title: "another type than the fused event's" } : {}, r.sub_event_type),
                    el("td", otherPlace ? { class: "disagree", title: "another governorate than the fused event's" } : {},
                       r.location || r.admin1 || ""),
                    el("td", {}, r.fatalities ?? "—"), el("td", {}, r.injuries ?? "—"), links));
  }
  panelBody.append(el("h3", {}, `Sources (${event.sources.length})`), table);
  const reportIds = new Set(event.report_ids && event.report_ids.length ? event.report_ids : [event.event_id]);
  const texts = [];
  for (const source of event.sources) {
    const box = el("section", { class: "source", id: `src-${slug(source.article_id)}`, dataset: { articleId: source.article_id } });
    box.append(el("h3", {}, [source.outlet, source.published, source.title].filter(Boolean).join(" · ") ||
                             source.article_id));
    panelBody.append(box);
    texts.push(getJson(`/api/articles/${encodeURIComponent(source.article_id)}`).then((article) => {
      const spans = article.spans.filter((s) => reportIds.has(s.event_id) || s.fused_id === event.event_id);
      box.append(highlightedText(article.text, spans));
    }).catch((err) => box.append(el("p", {}, `article text unavailable (${err.message})`))));
  }
  panel.dataset.ready = "partial";
  syncUrl(readFilters());
  await Promise.all(texts);
  panel.dataset.ready = "true";
}

document.getElementById("close-panel").addEventListener("click", () => {
  panel.hidden = true;
  delete panel.dataset.eventId;
  syncUrl(readFilters());
});

// --- start -------------------------------------------------------------------------------------------

function legend() {
  const box = document.getElementById("legend");
  for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
    box.append(el("span", { class: "legend-item" }, el("span", { class: "legend-dot", style: `background:${colour}` }), type));
  }
  box.append(el("span", { class: "legend-item" }, el("span", { class: "legend-dot", style: "border:2px dashed #222;border-radius:2px" }),
                "placed at its province"));
}

async function loadAdmin1Options() {
  const data = await getJson("/api/stats?by=admin1").catch(() => ({ rows: [] }));
  const list = document.getElementById("admin1-list");
  for (const r of data.rows) if (r.key) list.append(el("option", { value: r.key }));
}

document.getElementById("toggle-filters").addEventListener("click", (evt) => {
  const open = form.classList.toggle("open");
  evt.currentTarget.setAttribute("aria-expanded", String(open));
});
form.addEventListener("change", (evt) => { if (evt.target.type !== "search" && evt.target.name !== "q") loadEvents(); });
form.addEventListener("submit", (evt) => { evt.preventDefault(); loadEvents(); });
form.addEventListener("reset", () => setTimeout(loadEvents, 0));
document.getElementById("only-new").addEventListener("change", (evt) => {
  state.onlyNew = evt.currentTarget.checked;
  loadEvents();
});
let typing = null;
form.elements.namedItem("q").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(loadEvents, 400); });

(async function start() {
  const initial = {};
  for (const name of FILTERS) if (urlParams.get(name)) initial[name] = urlParams.get(name);
  writeFilters(initial);
  legend();
  state.newSince = readLastVisit();
  const config = await getJson("/api/config").catch(() => ({}));
  rememberVisit(config.now);  // this visit is the mark of the next one
  await loadBasemap(config).catch((err) => { statusEl.textContent = `basemap unavailable: ${err.message}`; });
  await loadEvents();
  loadLabels();
  loadAdmin1Options();
  if (urlParams.get("event")) openEvent(urlParams.get("event"));
  document.body.dataset.ready = "true";
})();
