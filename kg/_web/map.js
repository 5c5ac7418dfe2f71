/* The interactive map of dipkg: draws the data written by kg._web.page with Cytoscape.js and
 * recounts its time records for the slider and the filters. No network: everything is inline,
 * except, under `kg serve` (D.live), the evidence of events a page did not embed. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const DAY = D.resolution === "day";
  const SIGN_TEXT = { "1": "#00507D", "-1": "#9C3D00", "0": "#505050" };
  const SIGN_NAME = { "1": "cooperative", "-1": "conflictual", "0": "neutral" };
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  // ---------------------------------------------------------------- time units
  function toText(t) {
    if (t === null || t === undefined) return "";
    if (DAY) return new Date(t * 86400000).toISOString().slice(0, 10);
    return Math.floor(t / 12) + "-" + String((t % 12) + 1).padStart(2, "0");
  }
  function fromText(s) {
    if (!s) return null;
    const day = Math.floor(Date.parse(s.slice(0, 10) + "T00:00:00Z") / 86400000);
    if (isNaN(day)) return null;
    if (DAY) return day;
    const d = new Date(day * 86400000);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  }

  // ---------------------------------------------------------------- state
  const state = {
    asOf: D.range[1], window: -1, signs: new Set([1, -1, 0]), contested: !!D.start.claims,
    relations: new Set(D.relations.map((_, i) => i)),
  };
  if (D.start.as_of) { state.asOf = fromText(D.start.as_of); state.window = 0; }
  if (D.start.until || D.start.since) {
    const until = D.start.until ? fromText(D.start.until) : D.range[1];
    const since = D.start.since ? fromText(D.start.since) : D.range[0];
    state.asOf = until; state.window = Math.max(1, until - since + 1);
  }

  // ---------------------------------------------------------------- the graph
  const elements = [];
  D.actors.forEach((a, i) => elements.push({
    group: "nodes", data: { id: "n" + i, i: i, label: a.label, shape: a.shape, colour: a.colour, size: a.size,
                            named: a.named },
    position: { x: a.x, y: a.y },
  }));
  D.links.forEach((l, i) => elements.push({
    group: "edges", data: { id: "l" + i, i: i, source: "n" + l.s, target: "n" + l.t, width: 1, colour: "#8C8C8C",
                            line: "solid", arrow: "none", back: "none", label: "" },
  }));
  const cy = cytoscape({
    container: $("cy"), elements: elements, layout: { name: "preset" }, wheelSensitivity: 0.3,
    minZoom: 0.05, maxZoom: 6, boxSelectionEnabled: false, autoungrabify: true,
    style: [
      { selector: "node", style: {
        "shape": "data(shape)", "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
        "border-width": 1, "border-color": "#333", "label": "", "font-size": 12, "color": "#111",
        "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#fff", "text-background-opacity": 0.75,
        "text-background-padding": 1, "min-zoomed-font-size": 4, "z-index": 10 } },
      { selector: "edge", style: {
        "curve-style": "bezier", "control-point-step-size": 28, "width": "data(width)", "line-color": "data(colour)",
        "line-style": "data(line)", "line-dash-pattern": [7, 4], "target-arrow-shape": "data(arrow)",
        "target-arrow-color": "data(colour)", "source-arrow-shape": "data(back)", "source-arrow-color": "data(colour)",
        "arrow-scale": 1.0, "label": "data(label)", "font-size": 9, "color": "data(text)", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "min-zoomed-font-size": 8, "text-wrap": "wrap" } },
      { selector: "node[?named], node:selected, node.near", style: { "label": "data(label)" } },
      { selector: ".off", style: { "display": "none" } },
      { selector: "node.idle", style: { "opacity": 0.3 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#000" } },
      { selector: "edge:selected", style: { "underlay-color": "#000", "underlay-opacity": 0.25, "underlay-padding": 4 } },
    ],
  });

  // ---------------------------------------------------------------- recount
  const relOn = (r) => state.relations.has(r);
  function inCut(first, last, standing) {
    if (state.window < 0) return true;
    if (!standing && last === null) last = first;
    if (state.window === 0) {
      if (first !== null && first > state.asOf) return false;
      if (standing && last !== null && last < state.asOf) return false;
      return true;
    }
    const since = state.asOf - state.window + 1;
    if (last !== null && last < since) return false;
    if (first !== null && first > state.asOf) return false;
    return true;
  }
  function passes(rel, flags) {
    const r = D.relations[rel];
    return relOn(rel) && state.signs.has(r.sign) && (state.contested || !(flags & 2));
  }
  let counts = [];
  function recount() {
    const n = D.links.length;
    const count = new Float64Array(n), tone = new Float64Array(n), disputed = new Float64Array(n);
    const valued = new Float64Array(n), signs = new Float64Array(n);
    const fwd = new Float64Array(n), back = new Float64Array(n), names = D.links.map(() => new Map());
    for (const rec of D.records) {
      const [link, rel, first, last, flags, k] = rec;
      if (!passes(rel, flags) || !inCut(first, last, !!(flags & 1))) continue;
      const r = D.relations[rel];
      count[link] += k;
      // a merged link's sign and dash follow kg.collapse: the sign of the summed Goldstein tone
      // (else of the relations' signs), dashed when any of its events is contested
      if (r.goldstein !== null) { tone[link] += k * r.goldstein; valued[link] += k; }
      signs[link] += k * r.sign;
      if (flags & 2) disputed[link] += k;
      if (!r.symmetric) { if (flags & 4) back[link] += k; else fwd[link] += k; }
      names[link].set(r.label, (names[link].get(r.label) || 0) + k);
    }
    let most = 0;
    for (let i = 0; i < n; i++) most = Math.max(most, count[i]);
    // edge labels for the heaviest links only, as on the PNG (45 on a detailed map, 14 on a merged one)
    const merged = D.links.length && D.links[0].merged;
    const labelled = new Set(D.links.map((_, i) => i).filter((i) => count[i] > 0)
      .sort((x, y) => count[y] - count[x] || x - y).slice(0, merged ? 14 : 45));
    const active = new Set();
    let shown = 0, events = 0;
    cy.batch(() => {
      cy.edges().forEach((e) => {
        const i = e.data("i"), l = D.links[i], c = count[i];
        if (c <= 0) { e.addClass("off"); return; }
        e.removeClass("off"); shown++; events += c;
        active.add(l.s); active.add(l.t);
        // the tone to six decimals, as kg.collapse counts it (2.5 - 4.4 + 1.9 is 0, not -4e-16)
        const sum = valued[i] > 0 ? Math.round(tone[i] * 1e6) / 1e6 : signs[i];
        const sign = l.merged ? (sum > 0 ? 1 : sum < 0 ? -1 : 0) : l.sign;
        const contested = l.merged ? disputed[i] > 0 : l.contested;
        const width = l.merged ? 0.5 + 4.5 * Math.sqrt(c / Math.max(most, 1))
                               : 1 + 5 * Math.log(c) / Math.log(Math.max(most, 8));
        // every direction that has a directed relation gets its arrowhead, as on the PNG
        const arrow = l.merged ? (fwd[i] > 0 ? "triangle" : "none") : (l.sym ? "none" : "triangle");
        const backArrow = l.merged && back[i] > 0 ? "triangle" : "none";
        const ranked = [...names[i].entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
        const keep = l.merged ? 2 : 3;
        let label = ranked.slice(0, keep).map(([name, k]) => (k > 1 ? name + " ×" + k : name)).join("\n");
        if (ranked.length > keep) label += "\n+" + (ranked.length - keep) + " more";
        e.data({ width: +width.toFixed(2), colour: D.signColours[String(sign)], text: SIGN_TEXT[String(sign)],
                 line: contested ? "dashed" : "solid", arrow: arrow, back: backArrow, label: labelled.has(i) ? label : "",
                 fullLabel: label,
                 count: c, sign: sign, contested: contested });
      });
      cy.nodes().forEach((node) => node.toggleClass("idle", !active.has(node.data("i"))));
    });
    counts = count;
    $("counts").textContent = shown + " links, " + events + " events, " + active.size + " of " + D.actors.length + " actors in this cut";
    const text = state.window < 0 ? "whole span " + toText(D.range[0]) + " to " + toText(D.range[1])
      : state.window === 0 ? "as of " + toText(state.asOf)
      : toText(state.asOf - state.window + 1) + " to " + toText(state.asOf);
    $("asof-text").textContent = text;
    $("asof").value = state.asOf;
    $("asof-date").value = toText(state.asOf);
    $("window").value = String(state.window);
    refreshPanel();
  }

  // ---------------------------------------------------------------- controls
  $("asof").min = D.range[0]; $("asof").max = D.range[1];
  if (DAY) { $("asof-date").min = toText(D.range[0]); $("asof-date").max = toText(D.range[1]); }
  else $("asof-date").type = "month";
  const unit = DAY ? "days" : "months";
  (DAY ? [7, 30, 90, 365] : [1, 3, 6, 12]).forEach((w) => {
    const o = document.createElement("option"); o.value = String(w); o.textContent = "the " + w + " " + unit + " up to the date";
    $("window").appendChild(o);
  });
  if (state.window > 0 && ![...$("window").options].some((o) => o.value === String(state.window))) {
    const o = document.createElement("option"); o.value = String(state.window);
    o.textContent = "the " + state.window + " " + unit + " up to the date"; $("window").appendChild(o);
  }
  function setAsOf(t) {
    state.asOf = Math.max(D.range[0], Math.min(D.range[1], t));
    if (state.window < 0) state.window = 0;
    recount();
  }
  $("asof").addEventListener("input", (ev) => setAsOf(+ev.target.value));
  $("asof-date").addEventListener("change", (ev) => {
    const t = DAY ? fromText(ev.target.value) : fromText(ev.target.value + "-01");
    if (t !== null) setAsOf(t);
  });
  $("window").addEventListener("change", (ev) => { state.window = +ev.target.value; recount(); });
  document.querySelectorAll("input.sign").forEach((box) => box.addEventListener("change", () => {
    const v = +box.value; if (box.checked) state.signs.add(v); else state.signs.delete(v); recount();
  }));
  document.querySelectorAll(".swatch[data-sign]").forEach((s) => { s.style.borderTopColor = D.signColours[s.dataset.sign]; });
  $("contested").checked = state.contested;
  $("contested").addEventListener("change", (ev) => { state.contested = ev.target.checked; recount(); });
  const totals = new Map();
  D.records.forEach((r) => totals.set(r[1], (totals.get(r[1]) || 0) + r[5]));
  D.relations.map((r, i) => [r, i]).sort((a, b) => a[0].label.localeCompare(b[0].label)).forEach(([r, i]) => {
    const label = document.createElement("label");
    label.innerHTML = '<input type="checkbox" checked> <span style="color:' + SIGN_TEXT[String(r.sign)] + '">' +
      esc(r.label) + "</span> (" + (totals.get(i) || 0) + ")";
    label.firstChild.addEventListener("change", (ev) => { if (ev.target.checked) state.relations.add(i); else state.relations.delete(i); recount(); });
    $("relations").appendChild(label);
  });

  // ---------------------------------------------------------------- legend and subtitle
  const present = new Set(D.actors.map((a) => a.kind));
  const shapeSvg = (shape, colour) => {
    const pts = { ellipse: null, "round-rectangle": "2,2 14,2 14,14 2,14", diamond: "8,1 15,8 8,15 1,8",
      hexagon: "4,2 12,2 15,8 12,14 4,14 1,8", triangle: "8,1 15,14 1,14", pentagon: "8,1 15,6 12,14 4,14 1,6" }[shape];
    const body = pts ? '<polygon points="' + pts + '"' : '<circle cx="8" cy="8" r="6.5"';
    return '<svg width="16" height="16" aria-hidden="true">' + body + ' fill="' + colour + '" stroke="#333"/></svg>';
  };
  let legend = "<h3>Actors</h3>";
  D.kinds.filter((k) => present.has(k.kind)).forEach((k) => { legend += '<span class="legend-item">' + shapeSvg(k.shape, k.colour) + esc(k.name) + "</span>"; });
  if ([...present].some((k) => !D.kinds.some((x) => x.kind === k))) legend += '<span class="legend-item">' + shapeSvg("ellipse", "#FFFFFF") + "other actor</span>";
  legend += "<h3>Relations</h3>";
  ["1", "-1", "0"].forEach((s) => { legend += '<span class="legend-item"><span class="swatch" style="border-top-color:' + D.signColours[s] + '"></span>' + SIGN_NAME[s] + "</span>"; });
  legend += '<span class="legend-item"><span class="swatch dashed"></span>contested account</span>';
  legend += '<span class="legend-item">→ actor to target; width: events; node size: ' + esc(D.measure) + "</span>";
  $("legend").innerHTML = legend;
  const total = D.records.reduce((s, r) => s + r[5], 0);
  $("subtitle").textContent = D.actors.length + " actors" + (D.top ? " (the " + D.top + " most central by " + D.measure + " of " + D.total.actors + ")" : "") +
    ", " + D.links.length + " links, " + total + " events and standing relations, " + toText(D.range[0]) + " to " + toText(D.range[1]) +
    (DAY ? "" : "; binned by " + D.resolution) + (D.everyEvidence ? "" : "; evidence of the strongest events of each link embedded");

  // ---------------------------------------------------------------- evidence panel
  const byLink = new Map(), byActor = new Map();
  D.evidence.forEach((ev) => {
    if (!byLink.has(ev[0])) byLink.set(ev[0], []);
    byLink.get(ev[0]).push(ev);
    const l = D.links[ev[0]];
    [l.s, l.t].forEach((a) => { if (!byActor.has(a)) byActor.set(a, []); byActor.get(a).push(ev); });
  });
  const actorIndex = new Map(D.actors.map((a, i) => [a.id, i]));
  function evidenceShown(ev) {
    const first = ev[2] ? fromText(ev[2]) : null, last = ev[3] ? fromText(ev[3]) : null;
    return passes(ev[1], (ev[8] ? 2 : 0)) && inCut(first, last, !!ev[7]);
  }
  function eventHtml(ev) {
    const r = D.relations[ev[1]], src = ev[4] >= 0 ? D.sources[ev[4]] : null;
    const who = ev[9] && actorIndex.has(ev[9]) ? D.actors[actorIndex.get(ev[9])].label : "";
    const whom = ev[10] && actorIndex.has(ev[10]) ? D.actors[actorIndex.get(ev[10])].label : "";
    const href = src ? (src[2] || src[0]) : "";
    return '<div class="event"><div><span class="date">' + esc(ev[2] || "undated") + (ev[3] ? " to " + esc(ev[3]) : "") +
      '</span> · <span class="rel" style="color:' + SIGN_TEXT[String(r.sign)] + '">' + esc(r.label) + "</span>" +
      (who ? " · " + esc(who) + (whom ? " → " + esc(whom) : "") : "") + (ev[8] ? " · <em>contested account</em>" : "") +
      (ev[7] ? " · standing relation" : "") + "</div>" +
      (ev[5] ? "<blockquote>" + esc(ev[5]) + "</blockquote>" : "") +
      (src ? '<div>Source: <a href="' + esc(href) + '" target="_blank" rel="noopener">' + esc(src[1]) + "</a></div>" : "") +
      '<div class="iri">' + esc(ev[6]) + "</div></div>";
  }
  let selected = null;
  function showLink(i) {
    const l = D.links[i], a = D.actors[l.s], b = D.actors[l.t];
    const all = byLink.get(i) || [], shown = all.filter(evidenceShown);
    const c = counts[i] || 0;
    let h = "<h2>" + esc(a.label) + (l.sym && !l.merged ? " — " : " → ") + esc(b.label) + "</h2>";
    h += "<p>" + c + " in this cut" + (l.contested ? "; a contested account" : "") + ". " +
      (shown.length < c ? "Evidence of " + shown.length + " shown (the strongest events of this link)." : "") + "</p>";
    if (D.live && shown.length < c) h += '<p><button type="button" id="more">Fetch every event from the server</button></p>';
    h += shown.map(eventHtml).join("");
    $("evidence").innerHTML = h;
    if ($("more")) $("more").addEventListener("click", () => fetchMore(a.id, b.id));
  }
  function fetchMore(a, b) {
    fetch("api/evidence?a=" + encodeURIComponent(a) + "&b=" + encodeURIComponent(b))
      .then((r) => r.json()).then((rows) => {
        $("evidence").insertAdjacentHTML("beforeend", "<h3>All events from the server (" + rows.length + ")</h3>" +
          rows.map((r) => '<div class="event"><div>' + esc(r.date) + ' · <span class="rel">' + esc(r.relation) + "</span> · " +
            esc(r.actor) + " → " + esc(r.target) + "</div>" + (r.quote ? "<blockquote>" + esc(r.quote) + "</blockquote>" : "") +
            (r.source ? '<div>Source: <a href="' + esc(r.source) + '">' + esc(r.sourceLabel || r.source) + "</a></div>" : "") +
            "</div>").join(""));
      }).catch((err) => { $("evidence").insertAdjacentHTML("beforeend", "<p>Could not fetch: " + esc(err) + "</p>"); });
  }
  function showActor(i) {
    const a = D.actors[i];
    const shown = (byActor.get(i) || []).filter(evidenceShown);
    let h = "<h2>" + esc(a.label) + '</h2><p class="muted">' + esc(a.kind) + " · " + esc(D.measure) + " " + a.score + "</p>";
    if (a.aliases.length) h += "<p>Also called: " + a.aliases.map(esc).join(", ") + "</p>";
    if (a.wikidata) h += '<p>Wikidata: <a href="' + esc(a.wikidata) + '" target="_blank" rel="noopener">' + esc(a.wikidata.split("/").pop()) + "</a></p>";
    h += '<p class="iri">' + esc(a.id) + "</p><h3>Events in this cut (" + shown.length + " with evidence)</h3>";
    h += shown.map(eventHtml).join("");
    $("evidence").innerHTML = h;
  }
  function refreshPanel() {
    if (!selected) return;
    if (selected.isNode()) showActor(selected.data("i"));
    else showLink(selected.data("i"));
  }
  function select(el) {
    cy.elements().unselect();
    selected = el;
    if (!el) { cy.nodes(".near").removeClass("near"); $("evidence").innerHTML = '<p class="muted">Click an edge for the events behind it, an actor for its events and names.</p>'; return; }
    el.select();
    cy.nodes(".near").removeClass("near");
    if (el.isNode()) el.neighborhood("node").addClass("near"); else el.connectedNodes().addClass("near");
    refreshPanel();
  }
  cy.on("tap", "node, edge", (ev) => select(ev.target));
  cy.on("tap", (ev) => { if (ev.target === cy) select(null); });
  const tip = $("tip");
  cy.on("mouseover", "edge", (ev) => {
    const e = ev.target, l = D.links[e.data("i")];
    tip.textContent = D.actors[l.s].label + (l.sym ? " — " : " → ") + D.actors[l.t].label + ": " +
      (e.data("fullLabel") || "").replace(/\n/g, "; ") + " (" + (e.data("count") || 0) + ")";
    tip.hidden = false;
  });
  cy.on("mouseover", "node", (ev) => { tip.textContent = ev.target.data("label"); tip.hidden = false; });
  cy.on("mouseout", "node, edge", () => { tip.hidden = true; });
  cy.on("mousemove", (ev) => {
    if (tip.hidden || !ev.originalEvent) return;
    tip.style.left = ev.originalEvent.clientX + 12 + "px"; tip.style.top = ev.originalEvent.clientY + 12 + "px";
  });

  // ---------------------------------------------------------------- search
  const names = new Map();
  D.actors.forEach((a, i) => [a.label, ...a.aliases].forEach((n) => { if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), i); }));
  const list = $("names");
  [...names.keys()].sort().forEach((k) => {
    const o = document.createElement("option"); const i = names.get(k);
    o.value = k === D.actors[i].label.toLowerCase() ? D.actors[i].label : k;
    if (o.value !== D.actors[i].label) o.label = D.actors[i].label;
    list.appendChild(o);
  });
  function find(text) {
    const q = text.trim().toLowerCase();
    if (!q) return null;
    if (names.has(q)) return names.get(q);
    for (const [k, i] of names) if (k.startsWith(q)) return i;
    for (const [k, i] of names) if (k.includes(q)) return i;
    return null;
  }
  function focusActor(i) {
    const node = cy.getElementById("n" + i);
    select(node);
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
  }
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const i = find(ev.target.value);
    if (i === null) { $("counts").textContent = "no actor is called " + ev.target.value; return; }
    focusActor(i); $("cy").focus();
  });
  $("search").addEventListener("change", (ev) => { const i = find(ev.target.value); if (i !== null) focusActor(i); });

  // ---------------------------------------------------------------- keys, fit, PNG
  const ranked = D.actors.map((a, i) => i).sort((x, y) => D.actors[y].score - D.actors[x].score || D.actors[x].label.localeCompare(D.actors[y].label));
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA") && ev.key !== "Escape") return;
    if (ev.key === "/") { ev.preventDefault(); $("search").focus(); }
    else if (ev.key === "Escape") { select(null); $("cy").focus(); }
    else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") { ev.preventDefault(); setAsOf(state.asOf + (ev.key === "ArrowRight" ? 1 : -1)); }
    else if (ev.key === "n" || ev.key === "p") {
      const at = selected && selected.isNode() ? ranked.indexOf(selected.data("i")) : -1;
      const next = ev.key === "n" ? (at + 1) % ranked.length : (at - 1 + ranked.length) % ranked.length;
      focusActor(ranked[next]);
    } else if (ev.key === "e" && selected) {
      const node = selected.isNode() ? selected : selected.source();
      const edges = node.connectedEdges().filter((e) => !e.hasClass("off"));
      if (edges.length) { const at = selected.isEdge() ? edges.indexOf(selected) : -1; select(edges[(at + 1) % edges.length]); }
    } else if (ev.key === "0") cy.fit(undefined, 30);
    else if (ev.key === "+" || ev.key === "=") cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    else if (ev.key === "-") cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  });
  $("fit").addEventListener("click", () => cy.fit(undefined, 30));
  $("png").addEventListener("click", () => {
    const blob = cy.png({ output: "blob", bg: "#ffffff", full: false, scale: 2 });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = "map.png";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  recount();
  cy.fit(undefined, 30);
  cy.one("render", () => requestAnimationFrame(() => { window.kgMapReady = performance.now(); }));
  cy.forceRender();
  window.kgMap = { cy: cy, state: state, data: D, recount: recount, toText: toText, fromText: fromText };
})();
