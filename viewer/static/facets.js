/* /commitments: the "find a value" box of a long facet hides the values whose name does not match
   (forgiving: fold.js). The facets themselves are plain links: the page works without script. */
(function () {
  "use strict";
  document.querySelectorAll(".facet-filter").forEach(function (input) {
    input.addEventListener("input", function () {
      var items = input.parentElement.querySelectorAll("li");
      items.forEach(function (li) {
        var name = li.querySelector("a").textContent.replace(/^✓ /, "");
        li.hidden = input.value.trim() !== "" && !window.leangenFold.matches(input.value, name);
      });
    });
  });
})();
