/* The SPARQL editor at /sparql: YASGUI pinned to our endpoint, the example queries, the row-limit note.
 * A file rather than an inline script so the page runs under `script-src 'self'`; what the server
 * knows (URLs, example queries) comes from the JSON block #editor-config. */
(function () {
  "use strict";
  var CONFIG = JSON.parse(document.getElementById("editor-config").textContent);
  var ENDPOINT = new URL(CONFIG.endpoint, window.location.href).href;
  var EXAMPLES = CONFIG.examples;
  var note = document.getElementById("sparql-note");

  // No outside look-ups: the built-in prefix list, the query's own variables, and the classes and
  // properties of our ontology from our own store (YASQE's own property/class completers would call
  // an outside vocabulary service, so they stay off).
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"].concat(
    window.LeangenTerms ? LeangenTerms.register(Yasgui.Yasqe, CONFIG.terms) : []);

  registerMapView();
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: ENDPOINT, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: ENDPOINT }]; }, keys: [] },
    persistenceId: "leangen-kg-sparql",
    populateFromUrl: false,
    yasqe: { value: EXAMPLES.length ? EXAMPLES[0].text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" }
  });
  // every tab queries this endpoint, also tabs restored from an older visit
  yasgui.on("queryBefore", function (instance, tab) {
    tab.setEndpoint && tab.getEndpoint && tab.getEndpoint() !== ENDPOINT && tab.setEndpoint(ENDPOINT);
    var yasqe = tab.getYasqe();
    if (!yasqe || yasqe.__leangenNote) return;
    yasqe.__leangenNote = true;
    yasqe.on("queryResponse", function (_yasqe, response) {
      var h = response && response.headers;
      var cut = h && h.get && h.get("X-SPARQL-Truncated") === "true";
      if (cut && h.get("X-SPARQL-Truncated-By") === "bytes") {
        note.textContent = "This result was cut at the size limit of " + h.get("X-SPARQL-Byte-Limit") +
          " bytes: the rows shown are the first that fit. Select fewer or shorter values, or add a LIMIT.";
        note.className = "show";
      } else if (cut) {
        note.textContent = "This result was cut at the row limit of " + h.get("X-SPARQL-Row-Limit") +
          " rows: more rows match. Add a LIMIT/OFFSET or narrow the query to see the rest.";
        note.className = "show";
      } else {
        note.className = "";
        note.textContent = "";
      }
    });
  });

  function openExample(name) {
    var q = EXAMPLES.filter(function (e) { return e.name === name; })[0];
    if (!q) return null;
    var tab = yasgui.addTab(true, { name: q.title, yasqe: { value: q.text }, requestConfig: { endpoint: ENDPOINT } });
    return tab;
  }
  document.querySelectorAll("nav.examples button").forEach(function (b) {
    b.addEventListener("click", function () { openExample(b.getAttribute("data-query")); });
  });
  // /sparql#example=NAME (from the /queries page) or /sparql#query=TEXT opens it in a new tab and runs it.
  // An edited example is shared as its text: #query= wins over #example= (which then only names the tab).
  var hash = new URLSearchParams(window.location.hash.slice(1));
  var tab = null;
  if (hash.get("query")) {
    var title = (EXAMPLES.filter(function (e) { return e.name === hash.get("example"); })[0] || {}).title;
    yasgui.addTab(true, { name: title || "Query", yasqe: { value: hash.get("query") },
                          requestConfig: { endpoint: ENDPOINT } });
    tab = yasgui.getTab();
  } else if (hash.get("example")) {
    openExample(hash.get("example"));
    tab = yasgui.getTab();
  }
  // The address is the query being edited, so copying it shares the edit (not the original example).
  function keepInAddress() {
    var t = yasgui.getTab(), yasqe = t && t.getYasqe();
    if (!yasqe || yasqe.__leangenAddress) return;
    yasqe.__leangenAddress = true;
    yasqe.on("change", function () {
      var h = new URLSearchParams(window.location.hash.slice(1));
      h.set("query", yasqe.getValue());
      history.replaceState(null, "", "#" + h.toString());
    });
  }
  keepInAddress();
  yasgui.on("tabSelect", function () { setTimeout(keepInAddress, 0); });
  if (tab && hash.get("run") !== "0") {
    setTimeout(function () { tab.query(); }, 0);
  }
  // Result IRIs that this server serves (CONFIG.pages: namespace → path, most specific first) link
  // to their page here, not to the IRI's own host (the default base is a placeholder domain).
  // YASR writes its links whenever it draws (new results, table pages), so rewrite as they appear.
  function localHref(iri) {
    var spaces = CONFIG.pages || [];
    for (var i = 0; i < spaces.length; i++) {
      if (iri.indexOf(spaces[i].iri) === 0) return spaces[i].path + iri.slice(spaces[i].iri.length);
    }
    return null;
  }
  function relink(root) {
    root.querySelectorAll("a.iri[href]").forEach(function (a) {
      var local = localHref(a.getAttribute("href"));
      if (local) a.setAttribute("href", local);
    });
  }
  /* A "Kart" view in YASR for results with WKT POINT literals (geo:wktLiteral): static/map.js draws
   * them on Trondheim's outlines from /map.json, with no tiles from anywhere. Each point is labelled
   * with the row's first other literal and links to the row's first IRI that this server serves. */
  function wktPoints(results) {
    var WKT = "http://www.opengis.net/ont/geosparql#wktLiteral", POINT = /^\s*POINT\s*\(\s*([-+\d.eE]+)\s+([-+\d.eE]+)\s*\)\s*$/i;
    var vars = (results && results.getVariables && results.getVariables()) || [], out = [];
    ((results && results.getBindings && results.getBindings()) || []).forEach(function (row) {
      var at = null, label = null, iri = null;
      vars.forEach(function (v) {
        var b = row[v];
        if (!b) return;
        var m = b.type !== "uri" && b.datatype === WKT && POINT.exec(b.value);
        if (m && !at) at = [Number(m[1]), Number(m[2])];
        else if (b.type === "uri" && !iri) iri = b.value;
        else if (b.type !== "uri" && !m && label === null) label = b.value;
      });
      if (at) out.push({ lon: at[0], lat: at[1], label: label || iri || "", iri: iri, href: iri && localHref(iri) });
    });
    return out;
  }
  function registerMapView() {
    var Yasr = (window.Yasgui && Yasgui.Yasr) || window.Yasr;
    if (!Yasr || !window.KGMap) return;
    function MapView(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Kart / Map"; }
    MapView.prototype.canHandleResults = function () { return wktPoints(this.yasr.results).length > 0; };
    MapView.prototype.getIcon = function () { var i = document.createElement("span"); i.textContent = "◉"; return i; };
    MapView.prototype.draw = function () {
      var figure = document.createElement("figure"), points = wktPoints(this.yasr.results);
      figure.className = "map map-results";
      this.yasr.resultsEl.appendChild(figure);
      return KGMap.load(CONFIG.map || "/map.json").then(function (model) {
        KGMap.draw(figure, model, { points: points, height: 520 });
      });
    };
    Yasr.registerPlugin("map", MapView);
  }

  var results = document.getElementById("yasgui");
  relink(results);
  new MutationObserver(function () { relink(results); }).observe(results, { childList: true, subtree: true });
  window.leangenYasgui = yasgui;
})();
