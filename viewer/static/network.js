/* Leangen KG network page: filters, search, side panel, focus, presentation mode, PNG export.
 * Works served by the viewer and from file:// (dist/network.html). All text from the graph is
 * written with textContent; the view state lives in the URL hash so a presenter can prepare links. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var UI = DATA.ui, TERMS = DATA.terms;
  var FACETS = ["area", "topic", "strength", "place", "actor", "instrument"];
  // Tables keyed by ids have no prototype: an id from the URL such as "__proto__", "constructor" or
  // "toString" must find nothing rather than a built-in of Object.prototype.
  function table() { return Object.create(null); }
  var byId = table();
  DATA.model.nodes.forEach(function (n) { byId[n.id] = n; });
  var adjacency = table();
  DATA.model.edges.forEach(function (e, i) {
    e.id = "e" + i;
    e.label = TERMS[e.predicate] || e.predicate;
    (adjacency[e.from] = adjacency[e.from] || []).push({ other: e.to, edge: e, out: true });
    (adjacency[e.to] = adjacency[e.to] || []).push({ other: e.from, edge: e, out: false });
  });
  var original = table();
  DATA.model.nodes.forEach(function (n) {
    original[n.id] = { color: n.color, font: n.font || {}, label: n.label };
    n.title = (TERMS[n.type] || n.type) + ": " + n.full;  // plain text tooltip
  });

  // A link's interaction score (−3…+3) in its colour: blue helps, orange pulls against; the model
  // sets the width by strength. Edges without a score stay grey.
  function edgeColour(e) {
    var c = e.scoreColor || "#b0b0b0";
    return { color: c, highlight: e.scoreColor ? c : "#333333", inherit: false };
  }

  var nodes = new vis.DataSet(DATA.model.nodes);
  var edges = new vis.DataSet(DATA.model.edges);
  var container = document.getElementById("net");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  // white background so the PNG export is not transparent
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });

  var state = { focus: "", depth: 1, q: "", present: false, physics: false, sel: "" };
  FACETS.forEach(function (f) { state[f] = ""; });

  // ---- URL state ------------------------------------------------------------------------------
  function readUrl() {
    var params = new URLSearchParams(location.search);
    var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
    hash.forEach(function (v, k) { params.set(k, v); });
    // anything may stand in a link: ids that are not in the graph and facet values that are not
    // in their list are ignored, so the view always sets up
    FACETS.forEach(function (k) { if (isOption(k, params.get(k))) state[k] = params.get(k); });
    ["focus", "sel"].forEach(function (k) { if (params.get(k) && byId[params.get(k)]) state[k] = params.get(k); });
    if (params.get("q")) state.q = params.get("q").slice(0, 200);
    state.depth = params.get("depth") === "2" ? 2 : params.get("depth") === "impact" ? "impact" : 1;
    state.present = params.get("present") === "1";
    state.physics = params.get("physics") === "1";
  }
  function isOption(facet, value) {
    if (!value) return false;
    return Array.prototype.some.call(document.getElementById("f-" + facet).options,
                                     function (o) { return o.value === value; });
  }
  function writeUrl() {
    var p = new URLSearchParams();
    FACETS.concat(["q", "sel", "focus"]).forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.focus) p.set("depth", String(state.depth));
    if (state.present) p.set("present", "1");
    if (state.physics) p.set("physics", "1");
    var query = location.search;
    if (!DATA.offline) {  // keep only the language in the query; the view lives in the hash
      var lang = new URLSearchParams(location.search).get("lang");
      query = lang ? "?lang=" + encodeURIComponent(lang) : "";
    }
    var url = location.pathname + query + (p.toString() ? "#" + p.toString() : "");
    try { history.replaceState(null, "", url); } catch (err) { location.hash = p.toString(); }
  }

  // ---- filters --------------------------------------------------------------------------------
  function passes(n) {
    if (n.type !== "Commitment") return false;
    if (state.area && n.area !== state.area) return false;
    if (state.topic && n.topic !== state.topic) return false;
    if (state.strength && n.strength !== state.strength) return false;
    if (state.place && (n.places || []).indexOf(state.place) < 0) return false;
    if (state.actor && (n.actors || []).indexOf(state.actor) < 0) return false;
    if (state.instrument && (n.instruments || []).indexOf(state.instrument) < 0) return false;
    return true;
  }
  function filterActive() { return FACETS.some(function (f) { return state[f]; }); }
  function visibleSet() {
    var vis_ = table();
    if (!filterActive()) { DATA.model.nodes.forEach(function (n) { vis_[n.id] = true; }); return vis_; }
    DATA.model.nodes.forEach(function (n) {
      if (!passes(n)) return;
      vis_[n.id] = true;
      (adjacency[n.id] || []).forEach(function (a) {
        vis_[a.other] = true;
        if (byId[a.other] && byId[a.other].type === "Project") {  // show where its projects are
          (adjacency[a.other] || []).forEach(function (b) { if (b.edge.predicate === "locatedAt") vis_[b.other] = true; });
        }
      });
    });
    FACETS.forEach(function (f) { if (state[f] && byId[state[f]]) vis_[state[f]] = true; });
    return vis_;
  }

  // ---- focus ----------------------------------------------------------------------------------
  // "What depends on this?": what stalls or gets harder if this node stalls. The build computes it
  // (graph/impact.py) into the model as node.stalls and node.harder; the page only shows it.
  function dependants(id) {
    var seen = table(); seen[id] = 0;
    var n = byId[id] || {};
    (n.stalls || []).concat(n.harder || []).forEach(function (other) { if (byId[other]) seen[other] = 1; });
    return seen;
  }

  function neighbourhood(id, depth, allowed) {
    if (depth === "impact") return dependants(id);
    var seen = table(); seen[id] = 0;
    var frontier = [id];
    for (var d = 1; d <= depth; d++) {
      var next = [];
      frontier.forEach(function (x) {
        (adjacency[x] || []).forEach(function (a) {
          if (!(a.other in seen) && allowed[a.other]) { seen[a.other] = d; next.push(a.other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function faded(color) {
    return { background: "rgba(200,200,200,0.25)", border: "rgba(180,180,180,0.35)",
             highlight: color.highlight || color };
  }

  var LABEL_ZOOM = 1.1, zoomedIn = false;
  function apply() {
    zoomedIn = network.getScale() >= LABEL_ZOOM;
    var allowed = visibleSet();
    var focusSet = null;
    if (state.focus && byId[state.focus]) {
      allowed[state.focus] = true;
      focusSet = neighbourhood(state.focus, state.depth, allowed);
    }
    var updates = [], shown = 0;
    DATA.model.nodes.forEach(function (n) {
      var hidden = !allowed[n.id];
      var dim = focusSet && !(n.id in focusSet);
      if (!hidden) shown++;
      var font = Object.assign({}, DATA.options.nodes.font, original[n.id].font);
      if (state.present) font.size = Math.round((font.size || 14) * 1.5);
      if (dim) font.color = "rgba(120,120,120,0.25)";
      // commitment labels are long: draw them only when they can be read (zoomed in, focused,
      // presenting a focus) so the whole-platform view stays calm on a projector
      var showLabel = focusSet ? (n.id in focusSet)
                               : (n.type !== "Commitment" || zoomedIn || n.id === state.sel);
      updates.push({ id: n.id, hidden: hidden, color: dim ? faded(original[n.id].color) : original[n.id].color,
                     font: font, label: showLabel ? original[n.id].label : "" });
    });
    nodes.update(updates);
    var eUpdates = [];
    DATA.model.edges.forEach(function (e) {
      var dim = focusSet && !((e.from in focusSet) && (e.to in focusSet));
      eUpdates.push({ id: e.id, color: dim ? { color: "rgba(200,200,200,0.15)", inherit: false } : edgeColour(e),
                      font: { color: dim ? "rgba(0,0,0,0)" : "#555555", size: state.present ? 14 : 9 } });
    });
    edges.update(eUpdates);
    document.getElementById("unfocus").hidden = !state.focus;
    document.body.classList.toggle("focused", !!state.focus);
    document.body.dataset.focus = state.focus || "";
    document.getElementById("status").textContent =
      shown + " / " + DATA.model.nodes.length + " " + UI.nodes + " " + UI.shown +
      (state.focus ? " · " + UI.focus + ": " + (byId[state.focus] ? byId[state.focus].full : "") : "");
    FACETS.forEach(function (f) { document.getElementById("f-" + f).value = state[f]; });
    document.getElementById("physics").checked = state.physics;
    network.setOptions({ physics: { enabled: state.physics } });
    document.body.classList.toggle("present", state.present);
    writeUrl();
    return { shown: shown, focus: focusSet };
  }

  function fitTo(ids) {
    ids = ids.filter(function (id) { var n = nodes.get(id); return n && !n.hidden; });
    if (ids.length) network.fit({ nodes: ids, animation: false, maxZoomLevel: 1.5 });
    else network.fit({ animation: false });
  }

  function focus(id, depth) {
    state.focus = id; state.depth = depth || 1;
    var r = apply();
    fitTo(Object.keys(r.focus || {}));
  }
  function unfocus() {
    state.focus = "";
    apply();
    fitTo(Object.keys(visibleSet()));
  }

  // ---- side panel -----------------------------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fact(dl, term, value, nodeId) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (nodeId && byId[nodeId]) {
      var a = el("a", byId[nodeId].full); a.href = "#"; a.dataset.node = nodeId; dd.appendChild(a);
    } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function pageHref(n) {
    if (!n.href) return n.iri;  // offline, href is the page on the configured public URL
    return n.href + (!DATA.offline && DATA.lang === "en" ? "?lang=en" : "");
  }

  function showPanel(id) {
    var n = byId[id];
    var panel = document.getElementById("panel");
    if (!n) { panel.hidden = true; state.sel = ""; writeUrl(); return; }
    state.sel = id;
    panel.hidden = false;
    document.getElementById("p-type").textContent = TERMS[n.type] || n.type;
    document.getElementById("p-label").textContent = n.full;
    var text = document.getElementById("p-text");
    text.textContent = n.text ? (n.type === "Commitment" ? UI.byradet_vil + " … " : "") + n.text : (n.comment || "");
    var dl = document.getElementById("p-facts");
    dl.textContent = "";
    if (n.type !== "PolicyArea") fact(dl, UI.area, n.area, n.area);
    fact(dl, UI.topic, n.topic, n.topic);
    fact(dl, UI.strength, n.strength ? (TERMS[n.strength] || n.strength) : null);
    if (n.lines) fact(dl, UI.lines, n.lines[0] === n.lines[1] || !n.lines[1] ? n.lines[0] : n.lines[0] + "–" + n.lines[1]);
    fact(dl, UI.kind, n.kind ? (TERMS[n.kind] || n.kind) : null);
    var links = document.getElementById("p-links");
    links.textContent = "";
    var groups = table();
    (adjacency[id] || []).forEach(function (a) {
      var key = a.edge.label + (a.out ? "" : " ←");
      (groups[key] = groups[key] || []).push(a.other);
    });
    Object.keys(groups).sort().forEach(function (key) {
      links.appendChild(el("h3", key));
      var ul = el("ul");
      groups[key].slice(0, 60).forEach(function (other) {
        var li = el("li"); var a = el("a", byId[other] ? byId[other].full : other);
        a.href = "#"; a.dataset.node = other; li.appendChild(a); ul.appendChild(li);
      });
      if (groups[key].length > 60) ul.appendChild(el("li", "… +" + (groups[key].length - 60)));
      links.appendChild(ul);
    });
    var page = document.getElementById("p-page");
    page.href = pageHref(n);
    if (n.type === "Commitment" && !zoomedIn) apply();
    network.selectNodes([id]);
    writeUrl();
  }

  function select(id, center) {
    if (!byId[id]) return;
    var n = nodes.get(id);
    if (n && n.hidden) { FACETS.forEach(function (f) { state[f] = ""; }); apply(); }
    showPanel(id);
    if (center) network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
  }

  document.getElementById("panel").addEventListener("click", function (ev) {
    var t = ev.target.closest("a[data-node]");
    if (t) { ev.preventDefault(); select(t.dataset.node, true); }
  });
  document.getElementById("panel-close").addEventListener("click", function () {
    document.getElementById("panel").hidden = true; state.sel = ""; network.unselectAll(); writeUrl();
  });
  document.getElementById("focus1").addEventListener("click", function () { focus(state.sel, 1); });
  document.getElementById("focus2").addEventListener("click", function () { focus(state.sel, 2); });
  document.getElementById("focus-impact").addEventListener("click", function () { focus(state.sel, "impact"); });
  document.getElementById("unfocus").addEventListener("click", unfocus);
  network.on("click", function (params) {
    if (params.nodes.length) showPanel(params.nodes[0]);
  });
  network.on("zoom", function () {
    if ((network.getScale() >= LABEL_ZOOM) !== zoomedIn) apply();
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) focus(params.nodes[0], state.depth);
  });

  // ---- search ---------------------------------------------------------------------------------
  // forgiving, as /search (viewer/fold.py): å/aa, ø/o, æ/ae, case and accents folded; genitive s dropped
  function fold(s) {
    return String(s || "").toLowerCase().replace(/[æä]/g, "ae").replace(/[øö]/g, "o").replace(/å/g, "a")
      .replace(/aa/g, "a").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var haystack = table();
  DATA.model.nodes.forEach(function (n) { haystack[n.id] = fold([n.full, n.alt, n.text, n.comment].join(" ")); });
  function search(q) {
    var words = fold(q).split(/[^a-z0-9]+/).filter(Boolean).map(function (w) {
      return w.length > 3 && w.slice(-1) === "s" ? w.slice(0, -1) : w;
    });
    if (!words.length) return [];
    return DATA.model.nodes.filter(function (n) {
      return words.every(function (w) { return haystack[n.id].indexOf(w) >= 0; });
    }).sort(function (a, b) {  // label matches first, then shorter labels
      var la = fold(a.full).indexOf(words[0]) >= 0 ? 0 : 1, lb = fold(b.full).indexOf(words[0]) >= 0 ? 0 : 1;
      return la - lb || a.full.length - b.full.length;
    });
  }
  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
  function showResults() {
    state.q = searchBox.value;
    var found = search(state.q);
    results.textContent = "";
    results.hidden = !state.q;
    if (state.q && !found.length) results.appendChild(el("li", UI.no_results, "empty"));
    found.slice(0, 30).forEach(function (n) {
      var li = el("li"); var b = el("button", n.full); b.type = "button"; b.dataset.node = n.id;
      li.appendChild(el("span", TERMS[n.type] || n.type, "t")); li.appendChild(b); results.appendChild(li);
    });
    network.selectNodes(found.map(function (n) { return n.id; }).filter(function (id) { return !nodes.get(id).hidden; }));
    writeUrl();
    return found;
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var f = search(searchBox.value); if (f.length) { select(f[0].id, true); results.hidden = true; } }
  });
  results.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-node]");
    if (b) { select(b.dataset.node, true); results.hidden = true; }
  });

  // ---- toolbar --------------------------------------------------------------------------------
  // the toolbar is a form for its labels only: Enter in a field must not submit (reload) the page
  document.getElementById("tools").addEventListener("submit", function (ev) { ev.preventDefault(); });
  // the topic list offers only the chosen area's topics
  function limitTopics() {
    var select = document.getElementById("f-topic");
    Array.prototype.forEach.call(select.options, function (o) {
      o.hidden = !!(state.area && o.dataset.area && o.dataset.area !== state.area);
    });
    if (state.topic && byId[state.topic] && state.area && byId[state.topic].area !== state.area) {
      state.topic = ""; select.value = "";
    }
  }
  FACETS.forEach(function (f) {
    document.getElementById("f-" + f).addEventListener("change", function (ev) {
      state[f] = ev.target.value; state.focus = "";
      if (f === "area") limitTopics();
      apply(); fitTo(Object.keys(visibleSet()));
    });
  });
  document.getElementById("physics").addEventListener("change", function (ev) { state.physics = ev.target.checked; apply(); });
  function setPresent(on) {
    state.present = on; apply();
    if (on && document.documentElement.requestFullscreen && !document.fullscreenElement) {
      document.documentElement.requestFullscreen().catch(function () {});
    } else if (!on && document.fullscreenElement) { document.exitFullscreen().catch(function () {}); }
    setTimeout(function () { network.redraw(); }, 50);
  }
  document.getElementById("present").addEventListener("click", function () { setPresent(!state.present); });
  document.addEventListener("keydown", function (ev) {
    if (ev.target && /INPUT|SELECT|TEXTAREA/.test(ev.target.tagName)) return;
    if (ev.key === "p") setPresent(!state.present);
    if (ev.key === "Escape") { if (state.present) setPresent(false); else if (state.focus) unfocus(); }
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && state.present) { state.present = false; apply(); }
  });
  document.getElementById("png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var a = document.createElement("a");
    a.download = "leangen-nettverk.png";
    a.href = canvas.toDataURL("image/png");
    document.body.appendChild(a); a.click(); a.remove();
  });
  document.getElementById("reset").addEventListener("click", function () {
    FACETS.concat(["focus", "q", "sel"]).forEach(function (k) { state[k] = ""; });
    searchBox.value = ""; results.hidden = true;
    document.getElementById("panel").hidden = true;
    network.unselectAll(); apply(); network.fit({ animation: false });
  });

  // ---- start ----------------------------------------------------------------------------------
  readUrl();
  limitTopics();
  var first = apply();
  if (state.q) { searchBox.value = state.q; showResults(); results.hidden = true; }
  if (state.sel) showPanel(state.sel);
  if (first.focus) fitTo(Object.keys(first.focus));
  else if (filterActive()) fitTo(Object.keys(visibleSet()));
  document.body.dataset.ready = "1";

  // for tests and the console
  window.kgNetwork = { network: network, nodes: nodes, edges: edges, state: state, select: select,
                       focus: focus, unfocus: unfocus, search: search, apply: apply };
})();
