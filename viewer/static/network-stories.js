/* Stories on the network page: a presenter steps through saved views with a remote.
 *
 * The stories are data (sources/stories/*.json, checked by the build, embedded in the page's model);
 * this script only picks one, shows a step's caption in the strip above the canvas and asks
 * network.js to show the step's view. PageDown, → and ↓ go forward; PageUp, ←, ↑ go back
 * (what presenter remotes send). The URL holds story and step (#story=heimdal&step=3).
 */
(function () {
  "use strict";
  var FORWARD = { PageDown: 1, ArrowRight: 1, ArrowDown: 1 };
  var BACK = { PageUp: 1, ArrowLeft: 1, ArrowUp: 1 };

  /** api: {stories, state, show(view), lang, ui}; returns {go(id, step), next(), previous(), leave()}. */
  function start(api) {
    var byId = Object.create(null);
    api.stories.forEach(function (s) { byId[s.id] = s; });
    var lang = api.lang === "en" ? "en" : "nb";
    var picker = document.getElementById("story");
    var strip = document.getElementById("caption");

    function caption(story, number) {
      var step = story.steps[number - 1];
      document.getElementById("c-title").textContent = story.title[lang];
      document.getElementById("c-count").textContent = number + " / " + story.steps.length;
      document.getElementById("c-text").textContent = step.caption[lang];
      document.getElementById("c-prev").hidden = document.getElementById("c-next").hidden = false;
      document.getElementById("c-prev").disabled = number <= 1;
      document.getElementById("c-next").disabled = number >= story.steps.length;
      strip.hidden = false;  // before the view is fitted, so the fit sees the canvas that is left
    }
    function go(id, number) {
      var story = byId[id];
      if (!story) { leave(); return; }
      number = Math.max(1, Math.min(story.steps.length, number || 1));
      api.state.story = id; api.state.step = number;
      picker.value = id;
      caption(story, number);
      var step = story.steps[number - 1];
      api.show({ filters: step.filters, focus: step.focus, depth: step.depth, highlight: step.highlight,
                 showcase: step.showcase, overview: step.overview });
      document.body.dataset.step = id + "/" + number;  // for tests: the step has been shown
    }
    function leave() {
      api.state.story = ""; api.state.step = 0; api.state.highlight = []; api.state.showcase = false;
      picker.value = ""; strip.hidden = true; delete document.body.dataset.step;
    }
    function next() { if (api.state.story) go(api.state.story, api.state.step + 1); }
    function previous() { if (api.state.story) go(api.state.story, api.state.step - 1); }

    picker.addEventListener("change", function () {
      picker.blur();  // a remote's PageDown then steps the story instead of changing the choice
      if (picker.value) go(picker.value, 1);
      else { leave(); api.show({ overview: true }); }
    });
    document.getElementById("c-prev").addEventListener("click", previous);
    document.getElementById("c-next").addEventListener("click", next);
    document.getElementById("c-close").addEventListener("click", function () {
      if (api.state.story) { leave(); api.show({ overview: true }); } else { strip.hidden = true; }
    });
    document.addEventListener("keydown", function (ev) {
      if (!api.state.story || (ev.target && /INPUT|SELECT|TEXTAREA/.test(ev.target.tagName))) return;
      if (FORWARD[ev.key]) { ev.preventDefault(); next(); }
      else if (BACK[ev.key]) { ev.preventDefault(); previous(); }
    });
    if (api.state.story) go(api.state.story, api.state.step);
    return { go: go, next: next, previous: previous, leave: leave };
  }

  window.LeangenStories = { start: start };
})();
