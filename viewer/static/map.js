/* Maps of Trondheim drawn as SVG from the build's map model (/map.json): no tiles, no library, no
 * request to another host. Used by /map (the whole municipality), the place pages (zoomed to the
 * place) and the SPARQL editor (points of WKT results, sparql-editor.js).
 *
 * A figure with data-map-src draws itself: data-focus="IRI" zooms to that place. The script only
 * renders: counts, boroughs and outlines come from the build (graph/map_data.py).
 * Labels are placed greedily, most-touched first: each tries a few spots around its marker and is
 * dropped when every spot overlaps a label or marker already placed. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var EN = (document.documentElement.lang || "nb") === "en";
  var TEXT = EN
    ? { legend: "Commitments touching the place (or places inside it)", place: "place", project: "project",
        outside: "Outside the map:", focus: "this place", commitments: "commitments", noPoint: "Not on the map of Trondheim." }
    : { legend: "Løfter som berører stedet (eller steder i det)", place: "sted", project: "prosjekt",
        outside: "Utenfor kartet:", focus: "dette stedet", commitments: "løfter", noPoint: "Ikke på kartet over Trondheim." };
  // ColorBrewer YlGnBu, 5 classes: sequential and safe for the common colour-vision deficiencies.
  var CLASSES = [
    { min: 0, max: 0, color: "#ffffff" }, { min: 1, max: 1, color: "#c7e9b4" }, { min: 2, max: 3, color: "#7fcdbb" },
    { min: 4, max: 9, color: "#2c7fb8" }, { min: 10, max: Infinity, color: "#253494" }
  ];
  var AREA_KINDS = { city: true, borough: true };  // drawn as outlines, not markers
  var cache = {};

  function colour(n) {
    for (var i = CLASSES.length - 1; i >= 0; i--) if (n >= CLASSES[i].min) return CLASSES[i].color;
    return CLASSES[0].color;
  }
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(name, cls, text, parent) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return cache[url];
  }
  function polys(g) { return g.type === "Polygon" ? [g.coordinates] : g.coordinates; }
  function bboxOf(coords) {  // coords: [[lon, lat], …]
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    coords.forEach(function (c) {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    });
    return b;
  }
  function geomBbox(g) {
    var all = [];
    polys(g).forEach(function (p) { p[0].forEach(function (c) { all.push(c); }); });
    return bboxOf(all);
  }
  function inBox(b, lon, lat) { return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]; }

  /* The places inside a place (pk:partOf*), from each place's parents. */
  function inside(model, iri) {
    var kids = {}, out = {}, todo = [iri];
    model.places.forEach(function (p) {
      p.parents.forEach(function (q) { (kids[q] = kids[q] || []).push(p.iri); });
    });
    while (todo.length) {
      var x = todo.pop();
      if (out[x]) continue;
      out[x] = true;
      (kids[x] || []).forEach(function (k) { todo.push(k); });
    }
    return out;
  }

  /* The lon/lat box to show: the municipality, a borough's outline, or a place and what lies in it. */
  function viewBox(model, focus) {
    var city = model.bbox;
    if (!focus) return city;
    var place = model.places.filter(function (p) { return p.iri === focus; })[0];
    if (!place || !inBox(city, place.lon, place.lat)) return null;
    if (place.kind === "city") return city;
    var outline = model.outlines.boroughs.filter(function (b) { return b.iri === focus; })[0];
    if (outline) return geomBbox(outline.geometry);
    var within = inside(model, focus), pts = [];
    model.places.forEach(function (p) { if (within[p.iri] && inBox(city, p.lon, p.lat)) pts.push([p.lon, p.lat]); });
    var b = bboxOf(pts), minLat = 0.035, minLon = minLat * 2.2;  // at least about 4 km across: neighbours show
    var cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    var hw = Math.max((b[2] - b[0]) * 0.65, minLon / 2), hh = Math.max((b[3] - b[1]) * 0.65, minLat / 2);
    return [cx - hw, cy - hh, cx + hw, cy + hh];
  }

  /* Equirectangular with longitude shrunk by cos(latitude): true shape at city scale. */
  function projection(box, width, height, pad) {
    var k = Math.cos((box[1] + box[3]) / 2 * Math.PI / 180);
    var w = (box[2] - box[0]) * k, h = box[3] - box[1];
    var s = Math.min((width - 2 * pad) / w, (height - 2 * pad) / h);
    var ox = (width - w * s) / 2, oy = (height - h * s) / 2;
    return function (lon, lat) { return [ox + (lon - box[0]) * k * s, oy + (box[3] - lat) * s]; };
  }
  /* The height that shows the box at its true shape, between 300 and 900 px. */
  function fitHeight(box, width) {
    var k = Math.cos((box[1] + box[3]) / 2 * Math.PI / 180);
    return Math.round(Math.min(900, Math.max(300, width * (box[3] - box[1]) / ((box[2] - box[0]) * k))));
  }
  function pathOf(g, project) {
    var d = "";
    polys(g).forEach(function (p) {
      p.forEach(function (ring) {
        ring.forEach(function (c, i) {
          var xy = project(c[0], c[1]);
          d += (i ? "L" : "M") + xy[0].toFixed(1) + " " + xy[1].toFixed(1);
        });
        d += "Z";
      });
    });
    return d;
  }
  function link(parent, href, cls, iri, title) {
    var a = el("a", { "class": cls }, parent);
    if (href) a.setAttribute("href", href);
    if (iri) a.setAttribute("data-iri", iri);
    el("title", {}, a).textContent = title;
    return a;
  }
  function titleOf(name, n) { return n === undefined || n === null ? name : name + " – " + n + " " + TEXT.commitments; }

  function placeOf(model, iri) { return model.places.filter(function (p) { return p.iri === iri; })[0]; }

  function drawOutlines(svg, model, project, counts, focus) {
    el("path", { d: pathOf(model.outlines.sea, project), "class": "sea" }, svg);
    el("path", { d: pathOf(model.outlines.municipality, project), "class": "municipality" }, svg);
    model.outlines.boroughs.forEach(function (b) {
      var p = placeOf(model, b.iri), n = counts && p ? p.commitments : null;
      var a = link(svg, b.href, "borough" + (b.iri === focus ? " focus" : ""), b.iri, titleOf(b.name, n));
      el("path", { d: pathOf(b.geometry, project), fill: n === null ? "#f4f4ef" : colour(n) }, a);
    });
  }

  /* Greedy label placement: candidates around each anchor, first free one wins, else no label. */
  function placeLabels(svg, items, width, height) {
    var taken = items.map(function (it) { return it.box; }).filter(Boolean);
    function free(b) {
      if (b.x < 0 || b.y < 0 || b.x + b.w > width || b.y + b.h > height) return false;
      for (var i = 0; i < taken.length; i++) {
        var t = taken[i];
        if (t !== b.own && b.x < t.x + t.w && t.x < b.x + b.w && b.y < t.y + t.h && t.y < b.y + b.h) return false;
      }
      return true;
    }
    items.forEach(function (it) {
      if (!it.label) return;
      var text = el("text", { "class": "label" + (it.cls ? " " + it.cls : ""), "data-iri": it.iri || "",
                              "font-size": it.cls === "area" ? 14 : 11 }, svg);  // sized before map.css may load
      text.textContent = it.label;
      var bb = text.getBBox(), w = bb.width + 2, h = bb.height, r = it.r || 0, x = it.x, y = it.y;
      var spots = [[x + r + 2, y - h / 2], [x - r - 2 - w, y - h / 2], [x - w / 2, y - r - 1 - h], [x - w / 2, y + r + 1],
                   [x + r, y - r - h], [x + r, y + r], [x - r - w, y - r - h], [x - r - w, y + r]];
      if (!r) spots.unshift([x - w / 2, y - h / 2]);  // an area's label sits on its point
      for (var i = 0; i < spots.length; i++) {
        var b = { x: spots[i][0], y: spots[i][1], w: w, h: h, own: it.box };
        if (free(b)) {
          text.setAttribute("x", (b.x + 1).toFixed(1));
          text.setAttribute("y", (b.y - bb.y).toFixed(1));
          taken.push(b);
          return;
        }
      }
      svg.removeChild(text);
    });
  }

  function marker(svg, m, focus) {
    var a = link(svg, m.href, "marker " + m.type + (m.iri === focus ? " focus" : ""), m.iri, titleOf(m.label, m.count));
    var r = m.iri === focus ? 8 : (m.type === "project" ? 4.5 : 6);
    var fill = m.count === undefined || m.count === null ? "#2c7fb8" : colour(m.count);
    if (m.type === "project") el("rect", { x: m.x - r, y: m.y - r, width: 2 * r, height: 2 * r, fill: fill }, a);
    else el("circle", { cx: m.x, cy: m.y, r: r, fill: fill }, a);
    m.r = r;
    m.box = { x: m.x - r, y: m.y - r, w: 2 * r, h: 2 * r };
  }

  /* The markers: places (circles) and projects (squares beside their place), or given points. */
  function markersOf(model, options, project, box) {
    var out = [], seen = {};
    if (options.points) {
      options.points.forEach(function (p) {
        if (!inBox(box, p.lon, p.lat)) return;
        var xy = project(p.lon, p.lat);
        out.push({ type: "point", iri: p.iri, href: p.href, label: p.label, x: xy[0], y: xy[1] });
      });
      return out;
    }
    model.places.forEach(function (p) {
      if (AREA_KINDS[p.kind] || !inBox(box, p.lon, p.lat)) return;
      var xy = project(p.lon, p.lat);
      out.push({ type: "place", iri: p.iri, href: p.href, label: p.nb || p.en, count: p.commitments, x: xy[0], y: xy[1] });
    });
    model.projects.forEach(function (pr) {
      var named = false;  // a project at several places is labelled once
      pr.points.forEach(function (c) {
        if (!inBox(box, c[0], c[1])) return;
        var key = c.join(","), n = seen[key] = (seen[key] || 0) + 1, xy = project(c[0], c[1]);
        out.push({ type: "project", iri: pr.iri, href: pr.href, label: named ? null : pr.nb || pr.en,
                   count: pr.commitments, x: xy[0] + 7 + (n - 1) * 10, y: xy[1] - 9 });
        named = true;
      });
    });
    return out;
  }

  function legend(figure, model, options) {
    var box = html("div", "map-legend", "", figure);
    if (!options.points) {
      html("span", "map-legend-title", TEXT.legend + ":", box);
      CLASSES.forEach(function (c) {
        var item = html("span", "map-class", "", box);
        html("i", "swatch", "", item).style.background = c.color;
        item.appendChild(document.createTextNode(c.max === Infinity ? c.min + "+" : c.min === c.max ? String(c.min) : c.min + "–" + c.max));
      });
      html("span", "map-symbol", "● " + TEXT.place + "  ■ " + TEXT.project, box);
    }
    html("small", "map-attribution", "Kart: " + model.attribution + " (Kartverket, SSB)", figure);
  }

  function outsideList(figure, items) {
    if (!items.length) return;
    var p = html("p", "map-outside", TEXT.outside + " ", figure);
    items.forEach(function (it, i) {
      var a = html(it.href ? "a" : "span", "", it.label, p);
      if (it.href) a.href = it.href;
      if (i < items.length - 1) p.appendChild(document.createTextNode(", "));
    });
  }

  /* Draw the map into `figure`. options: focus (an IRI), points ([{lon, lat, label, href, iri}]), height. */
  function draw(figure, model, options) {
    options = options || {};
    var box = viewBox(model, options.focus);
    if (!box) { html("p", "map-none", TEXT.noPoint, figure); figure.classList.add("map-empty"); return null; }
    var width = Math.max(figure.clientWidth || 0, 320), height = options.height || fitHeight(box, width);
    var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "class": "kg-map",
                          "aria-label": "Trondheim" }, null);
    figure.insertBefore(svg, figure.firstChild);
    var project = projection(box, width, height, 14), counts = !options.points;
    drawOutlines(svg, model, project, counts, options.focus);
    var markers = markersOf(model, options, project, box);
    markers.forEach(function (m) { marker(svg, m, options.focus); });
    var labelled = model.outlines.boroughs.map(function (b) {
      var p = placeOf(model, b.iri), at = b.label_point || (p && [p.lon, p.lat]);
      if (!at || !inBox(box, at[0], at[1])) return null;
      var xy = project(at[0], at[1]);
      return { iri: b.iri, label: b.name, x: xy[0], y: xy[1], r: 0, cls: "area" };
    }).filter(Boolean);
    var order = markers.slice().sort(function (a, b) {
      return (b.iri === options.focus) - (a.iri === options.focus) || (a.type === "project") - (b.type === "project") ||
        (b.count || 0) - (a.count || 0) || (a.label < b.label ? -1 : 1);
    });
    placeLabels(svg, order.slice(0, 1).concat(labelled, order.slice(1)), width, height);
    legend(figure, model, options);
    var outside = (options.points || model.places.map(function (p) { return { lon: p.lon, lat: p.lat, label: p.nb, href: p.href }; }))
      .filter(function (p) { return !inBox(model.bbox, p.lon, p.lat); });
    if (!options.focus) outsideList(figure, outside);
    figure.setAttribute("data-ready", "1");
    return svg;
  }

  function drawFigure(figure) {
    load(figure.getAttribute("data-map-src")).then(function (model) {
      draw(figure, model, { focus: figure.getAttribute("data-focus") || null,
                            height: Number(figure.getAttribute("data-height")) || null });
    }).catch(function (err) {
      html("p", "map-none", String(err), figure);
    });
  }

  window.KGMap = { load: load, draw: draw, classes: CLASSES };
  function stylesheet() {  // the map's own sheet, so the SPARQL editor (no viewer.css) draws it the same
    var src = document.currentScript && document.currentScript.src;
    if (!src || document.querySelector("link[data-kg-map]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = src.replace(/map\.js(\?.*)?$/, "map.css");
    link.setAttribute("data-kg-map", "1");
    document.head.appendChild(link);
  }
  stylesheet();
  function start() { document.querySelectorAll("figure[data-map-src]").forEach(drawFigure); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
