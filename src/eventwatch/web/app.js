// The eventwatch map page: events on an offline basemap, a timeline that filters them, and a panel
// with each event's sources and the evidence highlighted in their text.
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
const MAP_LIMIT = 1000;

const form = document.getElementById("filters");
const statusEl = document.getElementById("status");
const panel = document.getElementById("panel");
const panelBody = document.getElementById("panel-body");

const map = L.map("map", { preferCanvas: false, worldCopyJump: true }).setView([35.0, 38.5], 7);
const markers = L.layerGroup().addTo(map);
window.eventwatch = { map, markers };  // for the browser tests and for users' own scripts

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

// --- filters <-> URL -----------------------------------------------------------------------------

function readFilters() {
  const data = new FormData(form);
  const out = {};
  for (const name of FILTERS) {
    const v = (data.get(name) || "").toString().trim();
    if (v !== "" && !(name === "kind" && v === "fused")) out[name] = v;
  }
  return out;
}

function writeFilters(filters) {
  for (const name of FILTERS) {
    const field = form.elements.namedItem(name);
    if (field) field.value = filters[name] || (name === "kind" ? "fused" : "");
  }
}

function syncUrl(filters) {
  const params = new URLSearchParams(filters);
  const openId = panel.hidden ? null : panel.dataset.eventId;
  if (openId) params.set("event", openId);
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

async function loadBasemap() {
  const config = await getJson("/api/config");
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: 18, attribution: "tiles: " + new URL(config.tiles.replace(/[{}]/g, ""), location.href).host }).addTo(map);
  }
  const topo = await getJson("/static/vendor/natural-earth/countries-50m.json");
  const countries = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(countries, {
    style: { color: "#888", weight: 1, fillColor: "#f2efe6", fillOpacity: config.tiles ? 0 : 1 },
    interactive: false,
  }).addTo(map);
  map.attributionControl.addAttribution("borders: Natural Earth");
}

function markerFor(feature) {
  const p = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const colour = TYPE_COLOURS[p.event_type] || "#555";
  const marker = L.circleMarker([lat, lon], {
    radius: 5 + Math.min(18, 2.2 * Math.sqrt(p.fatalities || 0)),
    color: "#333", weight: 1, fillColor: colour, fillOpacity: 0.75,
    className: `event-marker type-${slug(p.event_type)} ev-${feature.id}`,
  });
  marker.bindTooltip(`${p.event_date || "?"} · ${p.sub_event_type} · ${p.location || p.admin1 || ""}` +
                     ` · ${p.fatalities} killed`);
  marker.on("click", () => openEvent(feature.id));
  return marker;
}

let loadSerial = 0;
async function loadEvents() {
  const filters = readFilters();
  syncUrl(filters);
  const serial = ++loadSerial;
  const params = new URLSearchParams({ ...filters, format: "geojson", limit: MAP_LIMIT });
  statusEl.textContent = "loading…";
  try {
    const data = await getJson(`/api/events?${params}`);
    if (serial !== loadSerial) return;
    markers.clearLayers();
    let placed = 0;
    for (const f of data.features) {
      if (!f.geometry) continue;
      markerFor(f).addTo(markers);
      placed += 1;
    }
    const total = data.total_exact === false ? `${data.total}+` : String(data.total);
    const more = data.total > data.features.length ? ` (the first ${data.features.length} of ${total})` : "";
    statusEl.textContent = `${total} events${more}; ${placed} on the map`;
    statusEl.dataset.markers = String(placed);
    statusEl.dataset.total = String(data.total);
  } catch (err) {
    statusEl.textContent = `could not load events: ${err.message}`;
  }
  loadTimeline(filters);
}

// --- timeline --------------------------------------------------------------------------------------

const chart = document.getElementById("chart");
const SVG = "http://www.w3.org/2000/svg";
let timeline = { rows: [], by: "month" };

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

async function loadTimeline(filters) {
  const { since, until, ...rest } = filters;
  // The timeline shows the whole period of the other filters, so a range can be brushed anywhere.
  const probe = await getJson(`/api/stats?${new URLSearchParams({ ...rest, by: "month" })}`).catch(() => null);
  if (!probe) return;
  const months = probe.rows.filter((r) => r.key);
  const by = months.length <= 3 ? "day" : months.length <= 24 ? "week" : "month";
  const data = by === "month" ? probe : await getJson(`/api/stats?${new URLSearchParams({ ...rest, by })}`);
  timeline = { rows: data.rows.filter((r) => r.key), by };
  drawTimeline(since, until);
}

function drawTimeline(since, until) {
  while (chart.firstChild) chart.firstChild.remove();
  const rows = timeline.rows;
  const width = chart.clientWidth || 800, height = 90, pad = 14;
  if (!rows.length) return;
  const starts = rows.map((r) => periodStart(r.key, timeline.by));
  const t0 = starts[0].getTime(), t1 = periodEnd(starts[starts.length - 1], timeline.by).getTime() + 86400000;
  const x = (t) => ((t - t0) / Math.max(1, t1 - t0)) * width;
  const max = Math.max(...rows.map((r) => r.events));
  const lo = since ? new Date(since + "T00:00:00Z").getTime() : null;
  const hi = until ? new Date(until + "T00:00:00Z").getTime() : null;
  rows.forEach((r, i) => {
    const a = starts[i].getTime(), b = periodEnd(starts[i], timeline.by).getTime() + 86400000;
    const h = ((height - pad) * r.events) / max;
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("x", x(a));
    bar.setAttribute("width", Math.max(1, x(b) - x(a) - 1));
    bar.setAttribute("y", height - pad - h);
    bar.setAttribute("height", h);
    const inside = (lo === null || b > lo) && (hi === null || a <= hi);
    bar.setAttribute("class", "bar" + ((lo !== null || hi !== null) && inside ? " in" : ""));
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${r.key}: ${r.events} events, ${r.fatalities} killed`;
    bar.append(title);
    chart.append(bar);
  });
  for (const t of [t0, t1 - 86400000]) {
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", t === t0 ? 2 : width - 70);
    label.setAttribute("y", height - 2);
    label.textContent = iso(new Date(t));
    chart.append(label);
  }
  chart.dataset.t0 = t0;
  chart.dataset.t1 = t1;
  document.getElementById("range-label").textContent =
    since || until ? `time range: ${since || "…"} to ${until || "…"}` : "drag on the chart to select a time range";
  document.getElementById("clear-range").hidden = !(since || until);
}

let brushStart = null, brushRect = null;
function chartDate(evt) {
  const box = chart.getBoundingClientRect();
  const t0 = +chart.dataset.t0, t1 = +chart.dataset.t1;
  const share = Math.min(1, Math.max(0, (evt.clientX - box.left) / box.width));
  return new Date(t0 + share * (t1 - t0));
}
chart.addEventListener("mousedown", (evt) => {
  if (!chart.dataset.t0) return;
  brushStart = evt.clientX - chart.getBoundingClientRect().left;
  brushRect = document.createElementNS(SVG, "rect");
  brushRect.setAttribute("class", "brush");
  brushRect.setAttribute("y", 0);
  brushRect.setAttribute("height", 90);
  chart.append(brushRect);
  brushRect.dataset.from = iso(chartDate(evt));
});
chart.addEventListener("mousemove", (evt) => {
  if (brushStart === null) return;
  const now = evt.clientX - chart.getBoundingClientRect().left;
  brushRect.setAttribute("x", Math.min(brushStart, now));
  brushRect.setAttribute("width", Math.abs(now - brushStart));
});
window.addEventListener("mouseup", (evt) => {
  if (brushStart === null) return;
  const from = brushRect.dataset.from, to = iso(chartDate(evt));
  brushStart = null;
  const [a, b] = from <= to ? [from, to] : [to, from];
  form.elements.namedItem("since").value = a;
  form.elements.namedItem("until").value = b;
  loadEvents();
});
document.getElementById("clear-range").addEventListener("click", () => {
  form.elements.namedItem("since").value = "";
  form.elements.namedItem("until").value = "";
  loadEvents();
});

// --- the event panel -------------------------------------------------------------------------------

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
    ["place", [event.location, event.admin2, event.admin1, event.country].filter(Boolean).join(", ") +
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
  const table = el("table", { class: "reports" });
  table.append(el("tr", {}, ...["outlet", "date", "type", "place", "killed", "injured"].map((h) => el("th", {}, h))));
  for (const r of event.reports) {
    table.append(el("tr", {}, el("td", {}, r.outlet || r.article_id), el("td", {}, r.event_date || ""),
                    el("td", {}, r.sub_event_type), el("td", {}, r.location || r.admin1 || ""),
                    el("td", {}, r.fatalities ?? "—"), el("td", {}, r.injuries ?? "—")));
  }
  panelBody.append(el("h3", {}, `Sources (${event.sources.length})`), table);
  const reportIds = new Set(event.report_ids && event.report_ids.length ? event.report_ids : [event.event_id]);
  for (const source of event.sources) {
    const box = el("section", { class: "source", dataset: { articleId: source.article_id } });
    box.append(el("h3", {}, [source.outlet, source.published, source.title].filter(Boolean).join(" · ") ||
                             source.article_id));
    panelBody.append(box);
    try {
      const article = await getJson(`/api/articles/${encodeURIComponent(source.article_id)}`);
      const spans = article.spans.filter((s) => reportIds.has(s.event_id) || s.fused_id === event.event_id);
      box.append(highlightedText(article.text, spans));
    } catch (err) {
      box.append(el("p", {}, `article text unavailable (${err.message})`));
    }
  }
  syncUrl(readFilters());
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
}

async function loadAdmin1Options() {
  const data = await getJson("/api/stats?by=admin1").catch(() => ({ rows: [] }));
  const list = document.getElementById("admin1-list");
  for (const r of data.rows) if (r.key) list.append(el("option", { value: r.key }));
}

form.addEventListener("change", () => loadEvents());
form.addEventListener("submit", (evt) => { evt.preventDefault(); loadEvents(); });
form.addEventListener("reset", () => setTimeout(loadEvents, 0));

(async function start() {
  const params = new URLSearchParams(location.search);
  const initial = {};
  for (const name of FILTERS) if (params.get(name)) initial[name] = params.get(name);
  writeFilters(initial);
  legend();
  await loadBasemap().catch((err) => { statusEl.textContent = `basemap unavailable: ${err.message}`; });
  await loadEvents();
  loadAdmin1Options();
  if (params.get("event")) openEvent(params.get("event"));
  document.body.dataset.ready = "true";
})();
