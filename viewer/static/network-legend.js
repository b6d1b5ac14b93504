/* The network's legend, generated from what is drawn now: every shape, colour, size scale and line
 * style on the canvas is explained, and nothing that is not (a place filter with no actor shows no
 * diamond; colour by status lists the statuses of the commitments shown). The same entries go into
 * the PNG and SVG exports, so a picture explains itself as the page does.
 */
(function () {
  "use strict";

  function number(x, lang) {
    var s = Math.abs(x) >= 10 || x === Math.round(x) ? String(Math.round(x)) : x.toFixed(x < 0.1 ? 3 : 2);
    return lang === "en" ? s : s.replace(".", ",");
  }

  /**
   * The legend's groups for what is drawn. d: {nodes: the visible model nodes, edges: the visible
   * edges (both ends shown), colourBy: "" (area) | "strength" | "status", sizeBy: "" | a measure,
   * colourOf(node) -> "#rrggbb" (its colour now), sizeOf(value) -> radius, decorate, terms, ui,
   * areas: [{id, label, color}], lang, dashed: {predicate: true}}.
   * Returns [{id, title, entries: [{kind: "shape"|"line"|"size", label, color, shape, dashed, width, radius}]}].
   */
  function groups(d) {
    var out = [], has = Object.create(null);
    d.nodes.forEach(function (n) { has[n.type] = true; });
    var types = d.decorate.types.filter(function (t) { return has[t.type]; }).map(function (t) {
      // commitments are coloured by the palette below; the type entry shows their shape only
      return { kind: "shape", shape: t.shape, color: t.type === "Commitment" ? "#777777" : t.color,
               label: d.terms[t.type] || t.type };
    });
    if (types.length) out.push({ id: "types", title: "", entries: types });

    var commitments = d.nodes.filter(function (n) { return n.type === "Commitment"; });
    // area colours: on area and topic nodes, and on commitments when they are coloured by area
    var areaSeen = Object.create(null);
    d.nodes.forEach(function (n) {
      if (n.type === "PolicyArea") areaSeen[n.id] = true;
      else if (n.type === "Topic" && n.area) areaSeen[n.area] = true;
      else if (n.type === "Commitment" && !d.colourBy && n.area) areaSeen[n.area] = true;
    });
    var areas = d.areas.filter(function (a) { return areaSeen[a.id]; }).map(function (a) {
      return { kind: "shape", shape: "dot", color: a.color, label: a.label };
    });
    if (areas.length) out.push({ id: "areas", title: d.colourBy ? d.ui.by_area : d.ui.legend_colour + " " + d.ui.by_area,
                                 entries: areas });
    if (d.colourBy && commitments.length) {
      var seen = Object.create(null);
      commitments.forEach(function (n) { seen[n[d.colourBy]] = true; });
      var entries = (d.decorate.palettes[d.colourBy] || []).filter(function (p) { return seen[p.id]; })
        .map(function (p) { return { kind: "shape", shape: "dot", color: p.color, label: d.terms[p.id] || p.id }; });
      out.push({ id: "colour", title: d.ui.legend_colour + " " + d.ui["by_" + d.colourBy], entries: entries });
    }

    if (d.sizeBy) {
      var values = d.nodes.filter(function (n) { return typeof n[d.sizeBy] === "number"; })
        .map(function (n) { return Math.abs(n[d.sizeBy]); });
      if (values.length) {
        var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
        var steps = hi > lo ? [lo, (lo + hi) / 2, hi] : [hi];
        out.push({ id: "size", title: d.ui.legend_size + " " + d.ui[d.sizeBy] +
                   (d.sizeBy === "influence" ? " (" + d.ui.legend_size_abs + ")" : ""),
                   entries: steps.map(function (v) {
                     return { kind: "size", shape: "dot", color: "#777777", radius: d.sizeOf(v), label: number(v, d.lang) };
                   }) });
      }
    }

    if (d.edges.length) {
      var dashed = false, solid = false, grey = false, scores = Object.create(null);
      d.edges.forEach(function (e) {
        if (e.dashes) dashed = true; else solid = true;
        if (typeof e.score === "number") scores[e.score] = true; else grey = true;
      });
      var lines = [];
      if (dashed) lines.push({ kind: "line", dashed: true, color: "#b0b0b0", width: 2, label: d.ui.edge_dashed });
      if (solid) lines.push({ kind: "line", dashed: false, color: "#b0b0b0", width: 2, label: d.ui.edge_solid });
      if (grey && Object.keys(scores).length) lines.push({ kind: "line", color: "#b0b0b0", width: 2, label: d.ui.edge_grey });
      out.push({ id: "edges", title: "", entries: lines });
      var scored = d.decorate.scores.filter(function (s) { return scores[parseInt(s.score, 10)]; }).map(function (s) {
        return { kind: "line", color: s.scoreColor, width: s.width, label: s.score + " " + s.label };
      });
      if (scored.length) out.push({ id: "scores", title: d.decorate.score_title, entries: scored });
    }
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /** The groups as lists into container (replacing what was there). */
  function render(container, list) {
    container.textContent = "";
    list.forEach(function (g) {
      var ul = el("ul", "legend-" + g.id);
      ul.dataset.group = g.id;
      if (g.title) ul.appendChild(el("li", "legend-title", g.title + ":"));
      g.entries.forEach(function (e) {
        var li = el("li"), mark;
        if (e.kind === "line") {
          mark = el("span", "edge-swatch" + (e.dashed ? " edge-dashed" : ""));
          mark.style.setProperty("--w", Math.max(1, e.width) + "px");
        } else {
          mark = el("span", "sym sym-" + e.shape);
          if (e.kind === "size") { mark.style.width = mark.style.height = Math.max(4, Math.min(16, e.radius * 0.5)) + "px"; }
        }
        mark.style.setProperty("--c", e.color);
        li.appendChild(mark);
        li.appendChild(document.createTextNode(e.label));
        ul.appendChild(li);
      });
      container.appendChild(ul);
    });
  }

  window.LeangenLegend = { groups: groups, render: render };
})();
