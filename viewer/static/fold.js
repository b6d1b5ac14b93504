/* Forgiving search, the same rules as viewer/fold.py: case, å/aa, ø/o, æ/ae and accents folded,
   a genitive s ignored, every query word the start of a word of the name. */
(function () {
  "use strict";
  function fold(text) {
    return String(text || "").toLowerCase()
      .replace(/æ/g, "ae").replace(/ä/g, "ae").replace(/[øö]/g, "o").replace(/å/g, "a").replace(/aa/g, "a")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function words(text) { return fold(text).split(/[^a-z0-9]+/).filter(Boolean); }
  function queryWords(text) {
    return words(text).map(function (w) { return w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w; });
  }
  function matches(query, name) {
    var have = words(name);
    return queryWords(query).every(function (q) {
      return have.some(function (w) { return w.startsWith(q); });
    });
  }
  window.leangenFold = { fold: fold, words: words, queryWords: queryWords, matches: matches };
})();
