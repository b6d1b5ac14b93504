/* SVG export of the network for print: what is drawn now, as vectors that scale to any poster.
 * Nodes (their shapes approximated), edges, the labels drawn, the title above, the caption and the
 * legend below. Positions are vis-network's own (getPositions, canvasToDOM) and the node and label
 * boxes those window.leangen.view() reports, so the picture is the screen. Nothing is loaded:
 * the file is written here and handed to the browser as a data URL.
 */
(function () {
  "use strict";
  var FACE = "system-ui, sans-serif", PAD = 16;

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function f(x) { return Math.round(x * 10) / 10; }
  function points(list) { return list.map(function (p) { return f(p[0]) + "," + f(p[1]); }).join(" "); }

  /** One node's shape in a box {x, y, w, h} (SVG px). */
  function shape(kind, b, fill, stroke) {
    var cx = b.x + b.w / 2, cy = b.y + b.h / 2, r = Math.min(b.w, b.h) / 2;
    var paint = ' fill="' + esc(fill) + '" stroke="' + esc(stroke) + '" stroke-width="1.5"';
    switch (kind) {
      case "ellipse": return '<ellipse cx="' + f(cx) + '" cy="' + f(cy) + '" rx="' + f(b.w / 2) + '" ry="' + f(b.h / 2) + '"' + paint + "/>";
      case "box": return '<rect x="' + f(b.x) + '" y="' + f(b.y) + '" width="' + f(b.w) + '" height="' + f(b.h) + '" rx="3"' + paint + "/>";
      case "square": return '<rect x="' + f(cx - r) + '" y="' + f(cy - r) + '" width="' + f(2 * r) + '" height="' + f(2 * r) + '"' + paint + "/>";
      case "triangle": return "<polygon points=\"" + points([[cx, cy - r], [cx + r, cy + r * 0.7], [cx - r, cy + r * 0.7]]) + '"' + paint + "/>";
      case "diamond": return "<polygon points=\"" + points([[cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]]) + '"' + paint + "/>";
      case "hexagon": {
        var hex = [];
        for (var i = 0; i < 6; i++) hex.push([cx + r * Math.cos(Math.PI / 3 * i), cy + r * Math.sin(Math.PI / 3 * i)]);
        return "<polygon points=\"" + points(hex) + '"' + paint + "/>";
      }
      case "star": {
        var star = [];
        for (var k = 0; k < 10; k++) {
          var rr = k % 2 ? r * 0.45 : r, a = -Math.PI / 2 + Math.PI / 5 * k;
          star.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
        }
        return "<polygon points=\"" + points(star) + '"' + paint + "/>";
      }
      default: return '<circle cx="' + f(cx) + '" cy="' + f(cy) + '" r="' + f(r) + '"' + paint + "/>";
    }
  }

  /** Text lines no wider than width (words kept whole), measured as the page measures labels. */
  function wrap(text, size, width) {
    var lines = [], line = "";
    String(text || "").split(/\s+/).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && LeangenLabels.textWidth(next, FACE, size) > width) { lines.push(line); line = word; } else { line = next; }
    });
    if (line) lines.push(line);
    return lines;
  }

  /** The legend groups (network-legend.js) as rows of marks and words from y; returns [svg, height]. */
  function legend(groups, x, y, width) {
    var size = 13, row = size * 1.7, cx = x, cy = y, out = [];
    groups.forEach(function (g) {
      var items = (g.title ? [{ title: g.title + ":" }] : []).concat(g.entries);
      items.forEach(function (e) {
        var label = e.title || e.label;
        var w = (e.title ? 1.12 : 1) * LeangenLabels.textWidth(label, FACE, size) + (e.title ? 0 : size * 1.7) + size;  // bold is wider
        if (cx + w > x + width && cx > x) { cx = x; cy += row; }
        var tx = cx;
        if (!e.title) {
          var m = { x: cx, y: cy + row / 2 - size / 2, w: size, h: size };
          if (e.kind === "line") {
            out.push('<line x1="' + f(cx) + '" y1="' + f(cy + row / 2) + '" x2="' + f(cx + size * 1.3) + '" y2="' + f(cy + row / 2) +
                     '" stroke="' + esc(e.color) + '" stroke-width="' + f(Math.max(1, e.width)) + '"' +
                     (e.dashed ? ' stroke-dasharray="4 3"' : "") + "/>");
          } else {
            var s = e.kind === "size" ? Math.max(4, Math.min(row - 2, e.radius * 0.7)) : size;
            m = { x: cx + (size - s) / 2, y: cy + row / 2 - s / 2, w: s, h: s };
            out.push(shape(e.shape === "dot" || e.shape === "ellipse" ? "dot" : e.shape, m, e.color, e.color));
          }
          tx = cx + size * 1.7;
        }
        out.push('<text x="' + f(tx) + '" y="' + f(cy + row / 2) + '" dominant-baseline="central" font-size="' + size + '"' +
                 (e.title ? ' font-weight="bold"' : "") + ">" + esc(label) + "</text>");
        cx += w;
      });
      cx += size;  // a gap between groups
    });
    return [out.join("\n"), cy - y + row];
  }

  /**
   * The SVG text of what is drawn. network: the vis.Network; nodes, edges: its DataSets;
   * view: window.leangen.view(); info: {title, caption, groups (the legend's)}; shapes: {id: shape}.
   */
  function svg(network, nodes, edges, view, info) {
    var canvas = view.canvas, width = canvas.w, inner = width - 2 * PAD;
    var titleLines = wrap(info.title, 20, inner), captionLines = wrap(info.caption, 15, inner);
    var top = PAD + titleLines.length * 26 + 6;
    var captionTop = top + canvas.h + 10;
    var legendTop = captionTop + captionLines.length * 20 + 6;
    var legendSvg = legend(info.groups, PAD, legendTop, inner);
    var height = legendTop + legendSvg[1] + PAD;
    var ox = -canvas.x, oy = top - canvas.y;  // page px -> SVG px
    var shown = Object.create(null);
    view.nodes.forEach(function (n) { shown[n.id] = true; });
    var drawnIds = nodes.getIds();  // the DataSets hold what the view draws (network.js: holdNodes, holdEdges)
    var pos = network.getPositions(drawnIds), scale = view.scale, parts = [];

    parts.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + f(width) + '" height="' + f(height) +
               '" viewBox="0 0 ' + f(width) + " " + f(height) + '" font-family="' + FACE + '" fill="#222">');
    parts.push("<title>" + esc(info.title) + "</title>");
    parts.push('<rect width="100%" height="100%" fill="#ffffff"/>');
    titleLines.forEach(function (line, i) {
      parts.push('<text class="title" x="' + PAD + '" y="' + (PAD + 20 + i * 26) + '" font-size="20" font-weight="bold">' + esc(line) + "</text>");
    });
    parts.push('<defs><clipPath id="canvas"><rect x="0" y="' + f(top) + '" width="' + f(width) + '" height="' + f(canvas.h) + '"/></clipPath></defs>');
    parts.push('<g clip-path="url(#canvas)">');
    parts.push('<g class="edges" fill="none">');
    edges.get().forEach(function (e) {
      var a = network.canvasToDOM(pos[e.from]), b = network.canvasToDOM(pos[e.to]);
      var colour = (e.color && e.color.color) || "#b0b0b0";
      parts.push('<line x1="' + f(a.x) + '" y1="' + f(a.y + top) + '" x2="' + f(b.x) + '" y2="' + f(b.y + top) +
                 '" stroke="' + esc(colour) + '" stroke-width="' + f(Math.max(0.5, (e.width || 0.8) * scale)) + '"' +
                 (e.dashes ? ' stroke-dasharray="' + f(5 * scale) + " " + f(5 * scale) + '"' : "") + "/>");
    });
    parts.push("</g>");
    parts.push('<g class="nodes">');
    // in vis-network's drawing order (the DataSet's): areas and topics last, over the dots
    drawnIds.forEach(function (id) {
      if (!shown[id]) return;
      var n = nodes.get(id), box = null;
      view.nodes.some(function (v) { if (v.id === id) { box = v.box; return true; } return false; });
      var c = n.color || {};
      var b = { x: box.x + ox, y: box.y + oy, w: box.w, h: box.h };
      parts.push(shape(n.shape, b, c.background || "#999999", c.border || c.background || "#999999"));
    });
    parts.push("</g>");
    // the same white halo as on the canvas (view() gives its width): an edge under a label does not cut its letters
    parts.push('<g class="labels" text-anchor="middle" dominant-baseline="central" stroke="#ffffff" ' +
               'stroke-linejoin="round" paint-order="stroke">');
    view.labels.forEach(function (l) {
      var n = nodes.get(l.id), colour = (n.font && n.font.color) || "#343434";
      parts.push('<text data-id="' + esc(l.id) + '" x="' + f(l.box.x + ox + l.box.w / 2) + '" y="' + f(l.box.y + oy + l.box.h / 2) +
                 '" font-size="' + f(l.fontSize) + '" stroke-width="' + f(l.halo) + '" fill="' + esc(colour) +
                 '">' + esc(l.text) + "</text>");
    });
    parts.push("</g></g>");
    captionLines.forEach(function (line, i) {
      parts.push('<text class="caption" x="' + PAD + '" y="' + f(captionTop + 15 + i * 20) + '" font-size="15">' + esc(line) + "</text>");
    });
    parts.push('<g class="legend">' + legendSvg[0] + "</g>");
    parts.push("</svg>");
    return parts.join("\n");
  }

  window.LeangenSvg = { svg: svg };
})();
