/* Leangen KG network page: overview, filters, search, side panel, focus, presentation mode, PNG export.
 * Works served by the viewer and from file:// (dist/network.html). All text from the graph is
 * written with textContent; the view state lives in the URL hash so a presenter can prepare links.
 * Which labels are drawn, and how large, is decided by network-labels.js from measurement. */
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
    original[n.id] = { color: n.color, font: n.font || {}, label: n.short || n.label, x: n.x, y: n.y, size: n.size };
    n.title = (TERMS[n.type] || n.type) + ": " + n.full;  // plain text tooltip
    n.label = "";  // drawn only once network-labels.js has measured that it fits
  });

  // A link's interaction score (−3…+3) in its colour: blue helps, orange pulls against; the model
  // sets the width by strength. Edges without a score stay grey.
  function edgeColour(e) {
    var c = e.scoreColor || "#b0b0b0";
    return { color: c, highlight: e.scoreColor ? c : "#333333", inherit: false };
  }

  // ---- decoration (as in Kumu): size by a measure, colour commitments by a palette ---------------
  // The measures are numbers the build computed into the model (degree and betweenness as in
  // analysis-nodes.csv, net influence as in analysis-influence.csv); the page only maps them.
  var DECORATE = DATA.decorate, SIZE = { min: 5, max: 32 };
  var measureTop = table(), paletteOf = table();
  DECORATE.measures.forEach(function (m) {
    measureTop[m] = 0;
    DATA.model.nodes.forEach(function (n) { if (typeof n[m] === "number") measureTop[m] = Math.max(measureTop[m], Math.abs(n[m])); });
  });
  Object.keys(DECORATE.palettes).forEach(function (k) {
    paletteOf[k] = table();
    DECORATE.palettes[k].forEach(function (p) { paletteOf[k][p.id] = p.color; });
  });
  /** A measure's value as a radius: area in proportion to the value (as Kumu scales), from SIZE.min. */
  function radius(value) {
    var top = measureTop[state.size] || 1;
    return SIZE.min + (SIZE.max - SIZE.min) * Math.sqrt(Math.min(Math.abs(value), top) / top);
  }
  function sizeOf(n) {
    return state.size && typeof n[state.size] === "number" ? radius(n[state.size]) : original[n.id].size;
  }
  function colourOf(n) {
    if (n.type !== "Commitment" || !state.colour) return original[n.id].color;
    var c = (paletteOf[state.colour] || {})[n[state.colour]] || "#999999";
    return { background: c, border: c, highlight: { background: c, border: "#000000" } };
  }

  // vis-network draws nodes in data order: areas and topics last, so no dot lands on their names
  var ON_TOP = { Topic: 1, PolicyArea: 2 };
  var NODE_ITEMS = DATA.model.nodes.slice().sort(function (x, y) { return (ON_TOP[x.type] || 0) - (ON_TOP[y.type] || 0); });
  // edge names are not drawn on the canvas (too small to read in a room); the legend explains the
  // line styles and the panel names every link
  var edgeItem = table();
  DATA.model.edges.forEach(function (e) { edgeItem[e.id] = Object.assign({}, e, { label: undefined }); });
  // filled by apply() with what the view draws (holdNodes, holdEdges): vis-network sets up every item's
  // options when it is added and again for each update, and a page that opened on the model's own
  // styles set up all 548 nodes twice before it drew anything
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var container = document.getElementById("net");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  var RANK = { PolicyArea: 1, Topic: 2, Target: 3, Place: 4, Project: 5, Actor: 6, Instrument: 7, Commitment: 8 };
  var look = table();  // id -> what apply() decided: font, candidate label, priority
  var sent = { nodes: table(), edges: table() };  // id -> the update last given to the DataSet, as JSON

  /** Only the updates that change something: vis-network redoes a node's or an edge's options for
   * every item it is given, and a story step or a filter changes few of them. Positions the view no
   * longer knows (physics on, a node dragged) are always sent again, so apply() puts nodes back. */
  function changed(kind, updates) {
    if (kind === "nodes" && state.physics) sent.nodes = table();  // moving all the time
    return updates.filter(function (u) {
      var key = JSON.stringify(u);
      if (sent[kind][u.id] === key) return false;
      sent[kind][u.id] = key;
      return true;
    });
  }
  /** Make the nodes' DataSet hold exactly the nodes the view draws (``updates`` has every node, the
   * ones left out ``hidden``), with these values: vis-network sets up every node it holds, drawn or
   * not, and the overview draws 37 of 548. vis-network draws nodes in the order they were added, and
   * areas and topics must stay on top: when other nodes come in, the areas and topics held are added
   * again after them (and their labels placed again). */
  var heldNodes = table(), ORDER = table();
  NODE_ITEMS.forEach(function (n, i) { ORDER[n.id] = i; });
  function holdNodes(updates) {
    var add = [], keep = [], gone = [];
    updates.forEach(function (u) {
      if (u.hidden) { if (heldNodes[u.id]) gone.push(u.id); }
      else (heldNodes[u.id] ? keep : add).push(u);
    });
    if (add.some(function (u) { return !ON_TOP[byId[u.id].type]; })) {
      keep = keep.filter(function (u) {
        if (!ON_TOP[byId[u.id].type]) return true;
        gone.push(u.id); add.push(u);
        return false;
      });
    }
    gone.forEach(function (id) { delete heldNodes[id]; delete sent.nodes[id]; });
    if (gone.length) nodes.remove(gone);
    if (add.length) {
      add.sort(function (x, y) { return ORDER[x.id] - ORDER[y.id]; });
      add.forEach(function (u) { heldNodes[u.id] = true; });
      labels.forget(add.map(function (u) { return u.id; }));
      nodes.add(changed("nodes", add).map(function (u) { return Object.assign({}, byId[u.id], u); }));
    }
    var fresh = changed("nodes", keep);
    if (fresh.length) nodes.update(fresh);
  }
  /** Make the edges' DataSet hold exactly the edges the view draws, with these values: vis-network
   * sets up every edge it holds, drawn or not, and the overview draws none of the 961. An edge is in
   * the DataSet when ``sent.edges`` has it. */
  function holdEdges(drawn) {
    var wanted = table(), add = [], update = [];
    drawn.forEach(function (u) { wanted[u.id] = true; (u.id in sent.edges ? update : add).push(u); });
    var gone = Object.keys(sent.edges).filter(function (id) { return !wanted[id]; });
    gone.forEach(function (id) { delete sent.edges[id]; });
    if (gone.length) edges.remove(gone);
    if (add.length) edges.add(changed("edges", add).map(function (u) { return Object.assign({}, edgeItem[u.id], u); }));
    var fresh = changed("edges", update);
    if (fresh.length) edges.update(fresh);
  }
  var labels = LeangenLabels.create(network, nodes, {
    edges: edges, face: DATA.options.nodes.font.face, fallbackSize: DATA.options.nodes.font.size,
    halo: DATA.options.nodes.font.strokeWidth / DATA.options.nodes.font.size,  // of a label's size
    min: function () { return state.present ? 20 : 15; },
    max: function () { return state.present ? 44 : 30; },
    wanted: function (n) { return look[n.id] || null; },
    overlays: {
      toolbar: function () { return document.getElementById("chrome"); },
      panel: function () { return document.getElementById("panel"); },
      legend: function () { return document.getElementById("legend"); },
      caption: function () { return document.getElementById("caption"); },
    },
  });

  // white background so the PNG export is not transparent
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });

  var state = { focus: "", depth: 1, q: "", present: false, physics: false, sel: "", detail: false,
                story: "", step: 0, highlight: [], showcase: false, size: "", colour: "" };
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
    state.story = (params.get("story") || "").slice(0, 100);  // network-stories.js checks it
    readDecoration(params);
    state.step = parseInt(params.get("step"), 10) || 1;
    state.detail = params.get("detail") === "1" || filterActive() || !!state.focus || !!state.sel || !!state.q;
  }
  /** size= and colour= (also a story step's): only values the toolbar offers count. */
  function readDecoration(params) {
    var size = params.get("size"), colour = params.get("colour");
    if (size !== null) state.size = DECORATE.measures.indexOf(size) >= 0 ? size : "";
    if (colour !== null) state.colour = colour !== "area" && DECORATE.colour_by.indexOf(colour) >= 0 ? colour : "";
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
    if (state.story) { p.set("story", state.story); p.set("step", String(state.step)); }
    if (state.detail) p.set("detail", "1");
    if (state.present) p.set("present", "1");
    if (state.physics) p.set("physics", "1");
    if (state.size) p.set("size", state.size);
    if (state.colour) p.set("colour", state.colour);
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

  // ---- overview: the seven areas with their topics and how many commitments each holds ---------
  // Its own positions (a grid, areas in document order, topics under their area in document order),
  // computed here from the model: the build's layout is for the detail view.
  // Sized so that at 1280×720 it fits at scale ~1: labels at their own size, nothing boosted.
  var OVERVIEW = { colWidth: 300, topicGap: 30, topicTop: 46, rowGap: 24, fonts: { PolicyArea: 18, Topic: 16 } };
  var counts = table(), firstLine = table();
  DATA.model.nodes.forEach(function (n) {
    if (n.type !== "Commitment") return;
    [n.area, n.topic].forEach(function (k) { if (k) counts[k] = (counts[k] || 0) + 1; });
    var line = n.lines ? n.lines[0] : 0;
    if (n.topic && (!(n.topic in firstLine) || line < firstLine[n.topic])) firstLine[n.topic] = line;
  });
  var overviewPos = (function () {
    var pos = table(), areas = DATA.model.areas.filter(function (a) { return byId[a]; });
    var topicsOf = table();
    DATA.model.nodes.forEach(function (n) {
      if (n.type === "Topic" && n.area) (topicsOf[n.area] = topicsOf[n.area] || []).push(n.id);
    });
    var perRow = Math.ceil(areas.length / 2), most = 0;
    areas.forEach(function (a) { most = Math.max(most, (topicsOf[a] || []).length); });
    var rowHeight = OVERVIEW.topicTop + most * OVERVIEW.topicGap + OVERVIEW.rowGap;
    areas.forEach(function (a, i) {
      var row = Math.floor(i / perRow), inRow = row ? areas.length - perRow : perRow;
      var x = ((i % perRow) - (inRow - 1) / 2) * OVERVIEW.colWidth, y = row * rowHeight;
      pos[a] = { x: x, y: y };
      (topicsOf[a] || []).sort(function (s, t) { return (firstLine[s] || 0) - (firstLine[t] || 0); })
        .forEach(function (t, j) { pos[t] = { x: x, y: y + OVERVIEW.topicTop + j * OVERVIEW.topicGap }; });
    });
    return pos;
  })();

  /** The label a node may carry now, how it is styled and how much it matters (network-labels.js). */
  function candidate(n, dim, focusSet) {
    var font = Object.assign({}, DATA.options.nodes.font, original[n.id].font);
    if (dim) return { text: "", dim: true, font: Object.assign(font, { color: "rgba(120,120,120,0.25)" }) };
    var text = original[n.id].label;
    if (!state.detail) {
      font.size = OVERVIEW.fonts[n.type] || font.size;
      text += counts[n.id] ? " · " + counts[n.id] : "";
    }
    if (state.present) font.size = (font.size || 14) * 1.5;
    var first = n.id === state.sel || state.highlight.indexOf(n.id) >= 0;
    var key = first || n.id === state.focus;  // what the view is about is named even over other nodes
    return { text: text, font: font, boost: true, clear: !key && (!RANK[n.type] || RANK[n.type] > 2),
             priority: (n.id === state.focus ? -20000 : first ? 0 : (RANK[n.type] || 9) * 10000) -
                       (adjacency[n.id] || []).length -
                       (focusSet && n.id in focusSet ? 5000 : 0) };
  }

  /** What stays in full colour (null: everything): a focus keeps its neighbourhood; showcase keeps
   * only the highlighted nodes (and the focus) and fades the rest, which stays as context. */
  function showcased(focusSet) {
    if (!state.showcase || !state.highlight.length) return focusSet;
    var kept = table();
    state.highlight.concat(state.focus ? [state.focus] : []).forEach(function (id) { kept[id] = 0; });
    return kept;
  }

  /** Run ``fn`` with vis-network's drawing held back, then draw once. A view change updates nodes,
   * edges, selection, labels, size and fit, and vis-network drew the whole canvas after each of them
   * (eight times per story step); nothing in between reads the drawing (labels.place measures text
   * itself and reads positions and the view, which are data). Nested calls draw at the outermost end. */
  var batching = 0;
  function batch(fn) {
    if (batching++ === 0) network.body.emitter.emit("_blockRedraw");
    try { return fn(); } finally {
      if (--batching === 0) { network.body.emitter.emit("_allowRedraw"); network.redraw(); }
    }
  }

  function apply() { return batch(applyView); }
  function applyView() {
    var allowed = state.detail ? visibleSet() : table();
    if (!state.detail) Object.keys(overviewPos).forEach(function (id) { allowed[id] = true; });
    var focusSet = null;
    if (state.detail) state.highlight.forEach(function (id) { allowed[id] = true; });
    if (state.detail && state.focus && byId[state.focus]) {
      allowed[state.focus] = true;
      focusSet = neighbourhood(state.focus, state.depth, allowed);
    }
    var kept = showcased(focusSet);
    var updates = [], shown = 0, commitments = 0;
    DATA.model.nodes.forEach(function (n) {
      var hidden = !allowed[n.id];
      var dim = kept && !(n.id in kept);
      if (!hidden) shown++;
      if (!hidden && n.type === "Commitment") commitments++;
      look[n.id] = hidden ? null : candidate(n, dim, focusSet);
      var at = !state.detail && overviewPos[n.id] ? overviewPos[n.id] : original[n.id];
      var colour = colourOf(n);
      updates.push({ id: n.id, hidden: hidden, color: dim ? faded(colour) : colour, size: sizeOf(n),
                     x: at.x, y: at.y });
    });
    holdNodes(updates);
    var drawnEdges = [];
    if (state.detail) DATA.model.edges.forEach(function (e) {
      if (!allowed[e.from] || !allowed[e.to]) return;
      var dim = kept && !((e.from in kept) && (e.to in kept));
      drawnEdges.push({ id: e.id, color: dim ? { color: "rgba(200,200,200,0.15)", inherit: false }
                                             : edgeColour(e) });
    });
    holdEdges(drawnEdges);
    document.getElementById("d-size").value = state.size;
    document.getElementById("d-colour").value = state.colour;
    drawLegend();
    syncSize();  // the legend's height follows what is drawn: the canvas takes what it leaves
    document.getElementById("unfocus").hidden = !state.focus;
    document.getElementById("overview").textContent = state.detail ? UI.overview : UI.all_details;
    document.body.classList.toggle("focused", !!state.focus);
    document.body.classList.toggle("overview", !state.detail);
    document.body.dataset.focus = state.focus || "";
    // filters that no commitment meets say so, instead of leaving an empty canvas without a word
    var filtered = FACETS.some(function (f) { return state[f]; });
    document.body.classList.toggle("no-match", state.detail && filtered && commitments === 0);
    document.getElementById("status").textContent = state.detail && filtered && commitments === 0 ? UI.no_match :
      shown + " / " + DATA.model.nodes.length + " " + UI.nodes + " " + UI.shown +
      (state.focus ? " · " + UI.focus + ": " + (byId[state.focus] ? byId[state.focus].full : "") : "");
    FACETS.forEach(function (f) { document.getElementById("f-" + f).value = state[f]; });
    document.getElementById("physics").checked = state.physics;
    if (network.physics.options.enabled !== state.physics) {  // setOptions redoes every node's options: only on a change
      network.setOptions({ physics: { enabled: state.physics } });
    }
    document.body.classList.toggle("present", state.present);
    network.selectNodes(state.highlight.filter(function (id) { return allowed[id]; }));
    labels.place();
    writeUrl();
    return { shown: shown, focus: focusSet };
  }

  /** Fit the view to these nodes; nodes with no link at all (the parties, Parisavtalen …) sit far
   * out and would force the fit to zoom out 2–3×, so they are left out of it unless nothing else is. */
  function fitTo(ids) {
    ids = ids.filter(function (id) { return nodes.get(id); });
    var linked = ids.filter(function (id) { return (adjacency[id] || []).length || !state.detail; });
    if (linked.length) ids = linked;
    if (!ids.length) ids = nodes.getIds();
    fitPositions(ids);
  }
  /** Fit by node positions, leaving a margin for the labels around them. vis-network's fit uses the
   * shapes and labels as last drawn, which are stale right after a view changes. */
  function fitPositions(ids) {
    var pos = network.getPositions(ids), xs = [], ys = [];
    ids.forEach(function (id) { if (pos[id]) { xs.push(pos[id].x); ys.push(pos[id].y); } });
    if (!xs.length) return;
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var rect = container.getBoundingClientRect(), MARGIN = { x: 260, y: 90 };  // CSS px: a label's half-width, two lines
    var scale = Math.min(1.5, (rect.width - MARGIN.x) / Math.max(x1 - x0, 1), (rect.height - MARGIN.y) / Math.max(y1 - y0, 1));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: Math.max(scale, 0.05), animation: false });
    labels.place();
  }
  function fitAll() {
    if (state.detail) fitTo(Object.keys(visibleSet()));
    else fitOverview();
  }
  /** The overview fitted with its labels at their own size: vis-network's fit sees only the shapes
   * as last drawn, and would cut off a column whose labels were hidden a moment ago. */
  function fitOverview() {
    var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    Object.keys(overviewPos).forEach(function (id) {
      var c = look[id], p = overviewPos[id];
      if (!c) return;
      var half = LeangenLabels.textWidth(c.text, DATA.options.nodes.font.face, c.font.size) / 2 + c.font.size;
      box.x0 = Math.min(box.x0, p.x - half); box.x1 = Math.max(box.x1, p.x + half);
      box.y0 = Math.min(box.y0, p.y - c.font.size); box.y1 = Math.max(box.y1, p.y + c.font.size);
    });
    var rect = container.getBoundingClientRect();
    var scale = Math.min(1.5, 0.96 * Math.min(rect.width / (box.x1 - box.x0), rect.height / (box.y1 - box.y0)));
    network.moveTo({ position: { x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 }, scale: scale, animation: false });
    labels.place();
  }
  /** A saved view (a story step): filters, focus and depth, highlighted nodes, showcase; then fit
   * to what the view is about (the focus' neighbourhood, else the highlighted nodes, else all). */
  function show(view) { batch(function () { showView(view); }); }
  function showView(view) {
    FACETS.forEach(function (f) { state[f] = (view.filters || {})[f] || ""; });
    state.focus = view.focus || ""; state.depth = view.depth || 1; state.sel = "";
    state.highlight = (view.highlight || []).filter(function (id) { return byId[id]; });
    state.showcase = !!view.showcase;
    state.detail = !view.overview;
    // a step that sets a decoration keeps it; one that says nothing leaves the presenter's choice
    var deco = new URLSearchParams();
    ["size", "colour"].forEach(function (k) { if (typeof view[k] === "string") deco.set(k, view[k]); });
    readDecoration(deco);
    if (!document.getElementById("panel").hidden) closePanel();
    limitTopics();
    var r = apply();
    syncSize();
    if (!state.detail) fitOverview();
    else if (r.focus) fitTo(Object.keys(showcased(r.focus)).concat(state.highlight));
    else if (state.highlight.length) fitTo(state.highlight);
    else fitAll();
  }
  /** Into the detail view (from a click in the overview, a filter, a search hit or a focus). */
  function detail(on) {
    if (state.detail === !!on) return;
    state.detail = !!on;
    if (!on) { FACETS.concat(["focus", "sel"]).forEach(function (k) { state[k] = ""; }); closePanel(); }
  }

  function focus(id, depth) {
    if (!byId[id]) return;
    detail(true);
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
    if (state.present && !state.story) presentCaption(n);
    if (look[id]) look[id] = candidate(n, false, null);  // its label comes first now
    network.selectNodes([id]);
    syncSize();  // the panel took a column from the canvas
    labels.place();
    writeUrl();
  }
  /** Presenting, the side panel would cover a third of the screen: the selected node's name and
   * wording go to the caption strip above the canvas instead (a story keeps its own caption). */
  function presentCaption(n) {
    document.getElementById("c-title").textContent = TERMS[n.type] || n.type;
    document.getElementById("c-count").textContent = "";
    document.getElementById("c-prev").hidden = document.getElementById("c-next").hidden = true;  // no steps here
    document.getElementById("c-text").textContent = n.text ? UI.byradet_vil + " … " + n.text : n.full;
    document.getElementById("caption").hidden = false;
  }
  function closePanel() {
    if (!state.story) document.getElementById("caption").hidden = true;
    document.getElementById("panel").hidden = true; state.sel = ""; network.unselectAll();
    syncSize(); labels.place(); writeUrl();
  }
  /** Let vis-network take the canvas's new size now: its own ResizeObserver would do it a frame
   * later and rescale the view then, after our fit and label placement. */
  function syncSize() { network.setSize("100%", "100%"); }

  function select(id, center) {
    if (!byId[id]) return;
    if (!state.detail || !nodes.get(id)) { detail(true); FACETS.forEach(function (f) { state[f] = ""; }); apply(); }
    showPanel(id);
    if (center) network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    labels.place();  // focus() moves the view without a "zoom" event
  }

  document.getElementById("panel").addEventListener("click", function (ev) {
    var t = ev.target.closest("a[data-node]");
    if (t) { ev.preventDefault(); select(t.dataset.node, true); }
  });
  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.getElementById("focus1").addEventListener("click", function () { focus(state.sel, 1); });
  document.getElementById("focus2").addEventListener("click", function () { focus(state.sel, 2); });
  document.getElementById("focus-impact").addEventListener("click", function () { focus(state.sel, "impact"); });
  document.getElementById("unfocus").addEventListener("click", unfocus);
  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var n = byId[params.nodes[0]];
    if (!state.detail && n) {  // the overview opens on the area or topic clicked
      detail(true);
      state.area = n.type === "PolicyArea" ? n.id : (n.area || "");
      state.topic = n.type === "Topic" ? n.id : "";
      limitTopics(); apply(); fitAll();
      return;
    }
    showPanel(params.nodes[0]);
  });
  // labels are decided again whenever the view moves or the canvas changes size
  ["zoom", "dragEnd"].forEach(function (ev) { network.on(ev, function () { labels.place(); }); });
  network.on("dragEnd", function () { sent.nodes = table(); });  // a dragged node goes back on the next apply()
  // a window resize: vis-network sets its new camera just after this event
  network.on("resize", function () { requestAnimationFrame(function () { labels.place(); }); });
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
    network.selectNodes(found.map(function (n) { return n.id; }).filter(function (id) { return nodes.get(id); }));
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
      detail(true);
      if (f === "area") limitTopics();
      apply(); fitAll();
    });
  });
  document.getElementById("physics").addEventListener("change", function (ev) {
    state.physics = ev.target.checked;
    sent.nodes = table();  // physics moved the nodes: turned off, apply() puts them back on the layout
    apply();
  });
  function setPresent(on) {
    state.present = on; apply();
    if (state.sel && byId[state.sel] && !state.story) {
      if (on) presentCaption(byId[state.sel]); else document.getElementById("caption").hidden = true;
    }
    if (on && document.documentElement.requestFullscreen && !document.fullscreenElement) {
      document.documentElement.requestFullscreen().catch(function () {});
    } else if (!on && document.fullscreenElement) { document.exitFullscreen().catch(function () {}); }
    refit();
  }
  /** The toolbar came or went: fit the view to the canvas it left, so nothing is cut off. */
  function refit() {
    syncSize();
    if (state.focus && byId[state.focus]) fitTo(Object.keys(neighbourhood(state.focus, state.depth, visibleSet())));
    else fitAll();
  }
  document.getElementById("present").addEventListener("click", function () { setPresent(!state.present); });
  document.addEventListener("keydown", function (ev) {
    if (ev.target && /INPUT|SELECT|TEXTAREA/.test(ev.target.tagName)) return;
    if (ev.key === "p") setPresent(!state.present);
    if (ev.key === "l") toggleLegend();
    if (ev.key === "Escape") { if (state.present) setPresent(false); else if (state.focus) unfocus(); }
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && state.present) { state.present = false; apply(); }
    refit();
  });
  // ---- legend: generated from what is drawn (network-legend.js) -------------------------------
  var AREAS = DATA.model.areas.filter(function (a) { return byId[a]; }).map(function (a) {
    return { id: a, label: byId[a].full, color: original[a].color.background };
  });
  /** The legend's groups for the nodes and edges drawn now. */
  function legendGroups() {
    var drawn = nodes.getIds().map(function (id) { return byId[id]; });
    return LeangenLegend.groups({ nodes: drawn, edges: edges.get(), colourBy: state.colour, sizeBy: state.size,
                                  sizeOf: radius, decorate: DECORATE, terms: TERMS, ui: UI, areas: AREAS,
                                  lang: DATA.lang });
  }
  function drawLegend() {
    // the overview has its one-line note; the detail the entries of what it draws
    LeangenLegend.render(document.getElementById("legend-items"), state.detail ? legendGroups() : []);
  }
  /** What the exported picture says about itself: the page's (or story's) title, the caption
   * shown (or the status line), and the legend of what is drawn (the overview's note there). */
  function exportInfo() {
    var strip = document.getElementById("caption");
    var shown = !strip.hidden;
    var groups = state.detail ? legendGroups()
      : [{ id: "overview", title: "", entries: [{ kind: "shape", shape: "ellipse", color: "#777777", label: UI.legend_overview }] }];
    var items = [];
    groups.forEach(function (g) {
      if (g.title) items.push({ label: g.title + ":", color: "transparent" });
      g.entries.forEach(function (e) { items.push({ label: e.label, color: e.color }); });
    });
    return { title: shown ? document.getElementById("c-title").textContent : document.title,
             caption: shown ? document.getElementById("c-text").textContent : document.getElementById("status").textContent,
             legend: items, groups: groups };
  }
  document.getElementById("png").addEventListener("click", function () {
    var a = document.createElement("a");
    a.download = "leangen-nettverk.png";
    a.href = LeangenExport.png(network, container, exportInfo());
    labels.place();
    document.body.appendChild(a); a.click(); a.remove();
  });
  document.getElementById("svg").addEventListener("click", function () {
    var text = LeangenSvg.svg(network, nodes, edges, labels.view(), exportInfo());
    var a = document.createElement("a");
    a.download = "leangen-nettverk.svg";
    a.href = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    document.body.appendChild(a); a.click(); a.remove();
  });
  ["size", "colour"].forEach(function (k) {
    document.getElementById("d-" + k).addEventListener("change", function (ev) {
      state[k] = ev.target.value;
      apply();  // labels are placed again around the new sizes; the legend follows
    });
  });
  document.getElementById("reset").addEventListener("click", function () {
    FACETS.concat(["focus", "q", "sel"]).forEach(function (k) { state[k] = ""; });
    searchBox.value = ""; results.hidden = true;
    detail(false); closePanel(); apply(); fitAll();
  });
  document.getElementById("overview").addEventListener("click", function () {
    detail(!state.detail); apply(); fitAll();
  });
  function toggleLegend() {
    var legend = document.getElementById("legend");
    legend.hidden = !legend.hidden;
    syncSize(); labels.place();
    document.getElementById("legend-toggle").setAttribute("aria-expanded", String(!legend.hidden));
  }
  document.getElementById("legend-toggle").addEventListener("click", toggleLegend);

  // ---- start: the view the URL asks for, drawn once ---------------------------------------------
  var stories = batch(function () {
    readUrl();
    limitTopics();
    // a story in the URL shows its step's view (and fits it) here; the page's own first view would
    // only be set up to be replaced at once
    var started = LeangenStories.start({ stories: DATA.model.stories || [], state: state, show: show,
                                         lang: DATA.lang, ui: UI });
    var first = state.story ? null : apply();
    if (state.q) { searchBox.value = state.q; showResults(); results.hidden = true; }
    if (state.sel) showPanel(state.sel);
    syncSize();
    if (!first) { /* the story's step set the view */ }
    else if (first.focus) fitTo(Object.keys(first.focus));
    else if (state.sel) fitTo(Object.keys(neighbourhood(state.sel, 1, visibleSet())));  // a link to one node finds it
    else fitAll();
    return started;
  });
  // a link pasted into the address bar, or the hash typed over, shows its view as a reload would
  window.addEventListener("hashchange", function () {
    FACETS.concat(["focus", "q", "sel"]).forEach(function (k) { state[k] = ""; });
    readUrl();
    if (state.story) { stories.go(state.story, state.step); return; }
    stories.leave();
    var sel = state.sel, filters = {};
    FACETS.forEach(function (f) { filters[f] = state[f]; });
    show({ filters: filters, focus: state.focus, depth: state.depth, overview: !state.detail,
           size: state.size, colour: state.colour || "area" });
    if (sel) { state.sel = sel; showPanel(sel); fitTo(Object.keys(neighbourhood(sel, 1, visibleSet()))); }
    searchBox.value = state.q;
    writeUrl();
  });
  document.body.dataset.readyMs = String(Math.round(performance.now()));  // load time, measured in a benchmark
  document.body.dataset.ready = "1";

  // for tests and the console
  window.kgNetwork = { network: network, nodes: nodes, edges: edges, state: state, select: select,
                       focus: focus, unfocus: unfocus, search: search, apply: apply, fit: fitAll,
                       show: show, stories: stories };
  // read-only: what is drawn now (labels with screen boxes and font sizes, overlays, counts)
  window.leangen = Object.freeze({ view: labels.view });
})();
