/* Legible labels for the network canvas, decided by measurement, and a report of what is drawn.
 *
 * A room reads the network from metres away, so a label is drawn only if it keeps three rules at
 * the current zoom and window size: it is at least MIN CSS px high, it overlaps no other drawn label
 * (nor, for the small entity labels, another node), and it lies whole inside the canvas, clear of
 * every overlay (toolbar, panel, legend, caption). Labels are placed greedily in priority order;
 * the rest wait until zooming makes room. window.leangen.view() reports the result for tests and
 * automation, computed from the same geometry the placement uses.
 */
(function () {
  "use strict";
  var INSIDE = { ellipse: true, box: true, circle: true, database: true, text: true };
  var MARGIN = 5;        // vis-network's default margin between a label and its box/ellipse
  var BELOW = 4;         // vis-network hangs a label this far (canvas units) under half its height below a dot-like shape
  // a label taken away is set to a space, not "": vis-network 10 keeps the old label's size for a
  // box or ellipse whose label becomes empty, and would draw a wide empty shape
  var NO_LABEL = " ";
  var measure = document.createElement("canvas").getContext("2d");
  var widths = Object.create(null);

  /** Width of text at font size 100 in the given face: the canvas measures what vis-network draws. */
  function width100(text, face) {
    var key = face + "\u0000" + text;
    if (!(key in widths)) { measure.font = "100px " + face; widths[key] = measure.measureText(text).width; }
    return widths[key];
  }
  function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
  function within(a, r) { return a.x >= r.x && a.y >= r.y && a.x + a.w <= r.x + r.w && a.y + a.h <= r.y + r.h; }
  function round(b) { return { x: Math.round(b.x * 10) / 10, y: Math.round(b.y * 10) / 10,
                               w: Math.round(b.w * 10) / 10, h: Math.round(b.h * 10) / 10 }; }

  /** The page box of an element that is shown, else null. */
  function domBox(el) {
    if (!el || el.hidden) return null;
    var r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).display === "none") return null;
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  }

  /**
   * network: the vis.Network; nodes: its DataSet; opts.face: the font face; opts.overlays: {name: element}.
   * opts.edges: the edges' DataSet; opts.min()/max(): the screen font size range in CSS px.
   * wanted(node) gives {text, font, boost, clear, priority} for a node that may carry a label, or
   * null: boost lifts a small label to min(); clear keeps it off other nodes' shapes (except those
   * marked dim, which are faded into the background).
   */
  function create(network, nodes, opts) {
    var container = network.body.container;
    var drawn = Object.create(null);  // id -> {text, size (canvas units), font}

    function canvasRect() { return domBox(container); }

    /** Label box in page px for a node at canvas position pos, drawn at screen font size px. */
    function labelBox(n, pos, text, px, scale, origin) {
      var p = network.canvasToDOM(pos);
      var w = width100(text, opts.face) * px / 100, h = px;
      var x = origin.x + p.x - w / 2;
      var y = INSIDE[n.shape] ? origin.y + p.y - h / 2 : origin.y + p.y + ((n.size || 10) + BELOW) * scale + h / 2;
      return { x: x, y: y, w: w, h: h };
    }
    /** The node's own shape in page px; a box or ellipse holds its label (text at px CSS px). */
    function bodyBox(n, pos, scale, origin, text, px) {
      var p = network.canvasToDOM(pos);
      if (INSIDE[n.shape]) {
        var w = text ? width100(text, opts.face) * px / 100 : 0;
        var bw = n.shape === "ellipse" ? w + px : w + 2 * MARGIN * scale;
        var bh = n.shape === "ellipse" ? 2 * px : px + 2 * MARGIN * scale;
        return { x: origin.x + p.x - bw / 2, y: origin.y + p.y - bh / 2, w: bw, h: bh };
      }
      var r = (n.size || 10) * scale + 1;
      return { x: origin.x + p.x - r, y: origin.y + p.y - r, w: 2 * r, h: 2 * r };
    }
    function overlayBoxes() {
      var out = {};
      Object.keys(opts.overlays).forEach(function (k) { out[k] = domBox(opts.overlays[k]()); });
      return out;
    }

    /** Decide every label for the current view and push the changes to vis-network. */
    function place() {
      var scale = network.getScale(), rect = canvasRect();
      if (!rect) return;
      var origin = { x: rect.x, y: rect.y };
      var blocks = Object.values(overlayBoxes()).filter(Boolean);
      var shown = nodes.get();  // the DataSet holds what the view draws (network.js: holdNodes)
      var pos = network.getPositions(shown.map(function (n) { return n.id; }));
      var dots = [];
      shown.forEach(function (n) {  // faded nodes are background: a label may lie over them
        if (!INSIDE[n.shape] && !(opts.wanted(n) || {}).dim) dots.push({ id: n.id, box: bodyBox(n, pos[n.id], scale, origin) });
      });
      var candidates = [];
      shown.forEach(function (n) {
        var w = opts.wanted(n);
        if (w && w.text) candidates.push({ n: n, w: w });
      });
      candidates.sort(function (a, b) { return a.w.priority - b.w.priority; });
      var placed = [], next = Object.create(null);
      candidates.forEach(function (c) {
        var natural = (c.w.font.size || 14) * scale;
        var px = c.w.boost ? Math.min(Math.max(natural, opts.min()), Math.max(opts.max(), opts.min())) : natural;
        if (px < opts.min()) return;
        var box = labelBox(c.n, pos[c.n.id], c.w.text, px, scale, origin);
        if (!within(box, rect)) return;
        // a box or an ellipse is drawn around its label and hides what lies under it
        if (INSIDE[c.n.shape]) box = bodyBox(c.n, pos[c.n.id], scale, origin, c.w.text, px);
        if (blocks.some(function (b) { return overlaps(box, b); })) return;
        if (placed.some(function (b) { return overlaps(box, b); })) return;
        if (c.w.clear && dots.some(function (d) { return d.id !== c.n.id && overlaps(box, d.box); })) return;
        placed.push(box);
        next[c.n.id] = { text: c.w.text, size: px / scale, font: c.w.font };
      });
      var updates = [];
      shown.forEach(function (n) {
        var was = drawn[n.id], now = next[n.id];
        var font = Object.assign({}, now ? now.font : (opts.wanted(n) || {}).font || n.font);
        // a label beside its node gets a white halo, a fixed share of its size, so an edge under it does not
        // cut its letters; one inside its shape (areas, topics) has the shape behind it, and a white halo
        // around the white name of a dark area would swallow the letters
        if (now) { font.size = now.size; font.strokeWidth = INSIDE[n.shape] ? 0 : now.size * (opts.halo || 0); }
        if (!was && !now && (n.label === "" || n.label === NO_LABEL)) return;
        if (was && now && was.text === now.text && was.size === now.size && was.font === now.font) return;
        updates.push({ id: n.id, label: now ? now.text : NO_LABEL, font: font });
      });
      drawn = next;
      if (updates.length) nodes.update(updates);
    }

    /** What is drawn now: labels, node boxes, overlays, counts (page CSS px). Read from the
     * vis-network data itself, not from the placement's notes, so a label the placement lost track
     * of is reported too (and fails the rules). */
    function view() {
      var scale = network.getScale(), rect = canvasRect();
      var origin = { x: rect.x, y: rect.y };
      var shown = nodes.get();  // the DataSet holds what the view draws (network.js: holdNodes)
      var pos = network.getPositions(shown.map(function (n) { return n.id; }));
      var labels = [], boxes = [];
      shown.forEach(function (n) {
        var text = typeof n.label === "string" && n.label.trim() ? n.label : "";
        var d = text ? { text: text, size: (n.font && n.font.size) || opts.fallbackSize } : null;
        var body = d ? bodyBox(n, pos[n.id], scale, origin, d.text, d.size * scale)
                     : bodyBox(n, pos[n.id], scale, origin, "", 0);
        if (!overlaps(body, rect)) return;
        boxes.push({ id: n.id, box: round(body) });
        if (!d) return;
        labels.push({ id: n.id, text: d.text, fontSize: Math.round(d.size * scale * 10) / 10,
                      colour: network.body.nodes[n.id].options.font.color,  // what vis-network draws it in
                      halo: Math.round((network.body.nodes[n.id].options.font.strokeWidth || 0) * scale * 10) / 10,  // CSS px
                      inside: !!INSIDE[n.shape],  // drawn inside its node's shape, on its fill
                      box: round(labelBox(n, pos[n.id], d.text, d.size * scale, scale, origin)) });
      });
      var edgeCount = opts.edges.length;  // the edges between the drawn nodes (network.js: holdEdges)
      var overlays = overlayBoxes();
      Object.keys(overlays).forEach(function (k) { if (overlays[k]) overlays[k] = round(overlays[k]); });
      return { scale: scale, canvas: round(rect), labels: labels, nodes: boxes, overlays: overlays,
               counts: { nodes: boxes.length, edges: edgeCount, labels: labels.length } };
    }

    /** Nodes added to the DataSet again come with the model's label: their label is placed anew. */
    function forget(ids) { ids.forEach(function (id) { delete drawn[id]; }); }

    return { place: place, view: view, forget: forget };
  }

  window.LeangenLabels = {
    create: create,
    /** Width in canvas units of text drawn at font size px in face. */
    textWidth: function (text, face, px) { return width100(text, face) * px / 100; },
  };
})();
