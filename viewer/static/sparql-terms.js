/* Autocompletion from our own ontology for the YASQE editor at /sparql.
 *
 * YASQE's own "class" and "property" completers ask an outside service (LOV); the editor must work
 * offline, so they stay off. This file registers two completers forked from them that keep YASQE's
 * position rules (a class after `a`/`rdf:type`/`rdfs:domain`/`rdfs:range`; a property where the
 * grammar allows a predicate) but take their terms from /sparql/terms.json, which the server reads
 * from our own store. Usage, before `new Yasgui(...)`:
 *
 *   LeangenTerms.register(Yasgui.Yasqe, "/sparql/terms.json");  // returns the completer names
 *
 * A prefixed name is resolved with the query's own PREFIX declarations, and else with our
 * prefixes (pk:, lk: …); picking a term whose prefix is not declared yet adds the declaration.
 * `<https://leangen-kg.org/ontology#…` (the full namespace) completes to a full IRI.
 *
 * A third completer offers the curated entities anywhere a term may stand, after their prefix
 * (`place:til` → `place:tiller`  Tiller), matching the start of the name first and then any part of
 * the name or label (`place:sentrum` finds Heimdal sentrum), as Wikidata's editor does after `wd:`.
 */
(function (global) {
  "use strict";

  var data = null; // the promise of {prefixes, terms}

  function load(url) {
    if (!data) {
      data = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .catch(function (err) {
          console.warn("Ontology terms for autocompletion could not be loaded:", err);
          return { prefixes: {}, terms: [] };
        });
    }
    return data;
  }

  function lower(s) { return (s || "").toLowerCase(); }

  // The cursor stands at the end of the word being typed (not just moved into an existing name).
  function atWordEnd(yasqe) {
    var cur = yasqe.getDoc().getCursor();
    var tok = yasqe.getCompleteToken();
    return tok && tok.string && tok.end === cur.ch;
  }

  // token.string → token.autocompletionString (a full IRI or its beginning), remembering the
  // prefix typed so the suggestion can be written back in the same form.
  function preProcessToken(known) {
    return function (yasqe, token) {
      var s = token.string.trim();
      token.autocompletionString = null;
      if (s.charAt(0) === "<") {
        s = s.slice(1);
        if (s.slice(-1) === ">") s = s.slice(0, -1);
        token.autocompletionString = s;
        return token;
      }
      var i = s.indexOf(":");
      if (i < 0) return token;
      var prefix = s.slice(0, i);
      var declared = yasqe.getPrefixesFromQuery() || {};
      var ns = declared[prefix] != null ? declared[prefix] : known()[prefix];
      if (ns == null) return token;
      token.tokenPrefix = prefix + ":";
      token.tokenPrefixUri = ns;
      token.autocompletionString = ns + s.slice(i + 1);
      return token;
    };
  }

  function postProcessSuggestion(yasqe, token, iri) {
    if (token.tokenPrefixUri && iri.indexOf(token.tokenPrefixUri) === 0) {
      return token.tokenPrefix + iri.slice(token.tokenPrefixUri.length);
    }
    return "<" + iri + ">";
  }

  function register(Yasqe, url) {
    var state = { prefixes: {}, byIri: {}, entityNs: {} };
    load(url).then(function (d) {
      state.prefixes = d.prefixes || {};
      (d.terms || []).forEach(function (t) { state.byIri[t.iri] = t; });
      (d.entities || []).forEach(function (e) {
        state.byIri[e.iri] = { label: e.label, labels: {}, types: e["class"] ? [e["class"]] : [] };
        var prefix = e.curie && e.curie.split(":")[0];
        if (prefix && state.prefixes[prefix]) state.entityNs[state.prefixes[prefix]] = true;
      });
    });
    function known() { return state.prefixes; }

    // the namespace of the prefixed name being typed, if it is one that holds curated entities
    function entityNamespace(yasqe) {
      var tok = yasqe.getCompleteToken();
      if (!tok || !tok.string || /^[?$]/.test(tok.string)) return null;
      var ns = preProcessToken(known)(yasqe, { string: tok.string }).tokenPrefixUri;
      return ns && state.entityNs[ns] ? ns : null;
    }

    // the full IRI a suggestion stands for, and the prefix it still needs declared (if any)
    function resolve(yasqe, text) {
      if (text.charAt(0) === "<") return { iri: text.slice(1, -1) };
      var i = text.indexOf(":"), prefix = text.slice(0, i);
      var declared = yasqe.getPrefixesFromQuery() || {};
      if (declared[prefix] != null) return { iri: declared[prefix] + text.slice(i + 1) };
      var ns = known()[prefix];
      var add = {};
      add[prefix] = ns;
      return { iri: ns + text.slice(i + 1), add: add };
    }

    function renderHint(el, _data, hint) {
      el.appendChild(document.createTextNode(hint.text));
      var t = hint.term;
      if (!t) return;
      var other = Object.keys(t.labels || {}).filter(function (l) { return l && l !== "en"; })
        .map(function (l) { return t.labels[l]; }).filter(function (x) { return x && x !== t.label; });
      if (t.label) {
        var span = document.createElement("span");
        span.className = "leangen-hint-label";
        span.textContent = t.label + (other.length ? " · " + other.join(" · ") : "");
        el.appendChild(span);
      }
      el.title = (t.types || []).join(", ") + (t.comment ? " — " + t.comment : "");
    }

    function postprocessHints(yasqe, hints) {
      return hints.map(function (hint) {
        var r = resolve(yasqe, hint.text);
        hint.term = state.byIri[r.iri];
        hint.displayText = hint.text + (hint.term && hint.term.label ? "  " + hint.term.label : "");
        hint.render = renderHint;
        hint.hint = function (cm, data, completion) {
          cm.replaceRange(completion.text, completion.from || data.from, completion.to || data.to, "complete");
          if (r.add) cm.addPrefixes(r.add);
        };
        return hint;
      });
    }

    // YASQE's rules: a class where the last property was `a`/`rdf:type`/…, a property where the
    // grammar allows `a`. Both miss the predicate after `;` (or `[`): the last property there is
    // still `a` and the tokenizer does not list `a` as possible, so that case is decided here.
    function afterPredicateSeparator(yasqe) {
      var tok = yasqe.getCompleteToken();
      var prev = tok && previousToken(yasqe, yasqe.getDoc().getCursor().line, tok.start);
      return !!(prev && (prev.string === ";" || prev.string === "["));
    }

    // the last token before (line, ch) that is not white space or a comment, also on earlier lines
    // (YASQE's getPreviousNonWsToken stays on the cursor's line; `;` often ends the line before)
    function previousToken(yasqe, line, ch) {
      for (var l = line; l >= 0 && l > line - 50; l--) {
        var toks = yasqe.getLineTokens(l).filter(function (t) {
          return (l < line || t.end <= ch) && t.type !== "ws" && t.type !== "comment" && t.string.trim();
        });
        if (toks.length) return toks[toks.length - 1];
      }
      return null;
    }

    function completer(base, name, kind) {
      var baseValid = Yasqe.Autocompleters[base].isValidCompletionPosition;
      var valid = kind === "class"
        ? function (yasqe) { return !afterPredicateSeparator(yasqe) && baseValid(yasqe); }
        : function (yasqe) {
          var tok = yasqe.getCompleteToken();
          if (!tok || !tok.string || /^[?$]/.test(tok.string)) return false;
          return afterPredicateSeparator(yasqe) || baseValid(yasqe);
        };
      return {
        name: name,
        bulk: false,
        autoShow: true,
        persistenceId: null,
        onInitialize: function () { load(url); },
        isValidCompletionPosition: function (yasqe) {
          return atWordEnd(yasqe) && !entityNamespace(yasqe) && valid(yasqe);
        },
        preProcessToken: preProcessToken(known),
        postProcessSuggestion: postProcessSuggestion,
        postprocessHints: postprocessHints,
        get: function (yasqe, token) {
          var start = token && token.autocompletionString;
          if (!start) return Promise.resolve([]);
          var want = lower(start);
          return load(url).then(function (d) {
            return (d.terms || []).filter(function (t) {
              return (t.kind === kind || t.kind === "both") && t.iri !== start &&
                lower(t.iri).indexOf(want) === 0;
            }).map(function (t) { return t.iri; });
          });
        }
      };
    }

    var entities = {
      name: "leangenEntity",
      bulk: false,
      autoShow: true,
      persistenceId: null,
      onInitialize: function () { load(url); },
      isValidCompletionPosition: function (yasqe) { return atWordEnd(yasqe) && !!entityNamespace(yasqe); },
      preProcessToken: preProcessToken(known),
      postProcessSuggestion: postProcessSuggestion,
      postprocessHints: postprocessHints,
      get: function (yasqe, token) {
        var ns = token && token.tokenPrefixUri, start = token && token.autocompletionString;
        if (!ns || !start) return Promise.resolve([]);
        var typed = lower(start.slice(ns.length));
        return load(url).then(function (d) {
          var first = [], then = [];
          (d.entities || []).forEach(function (e) {
            if (e.iri.indexOf(ns) !== 0 || e.iri === start) return;
            var local = lower(e.iri.slice(ns.length));
            if (local.indexOf(typed) === 0) first.push(e.iri);
            else if (local.indexOf(typed) > 0 || lower(e.label).indexOf(typed) >= 0) then.push(e.iri);
          });
          return first.concat(then);
        });
      }
    };

    Yasqe.registerAutocompleter(entities, false);
    Yasqe.forkAutocompleter("class", completer("class", "leangenClass", "class"), false);
    Yasqe.forkAutocompleter("property", completer("property", "leangenProperty", "property"), false);
    return ["leangenEntity", "leangenClass", "leangenProperty"];
  }

  global.LeangenTerms = { register: register, load: load };
})(window);
