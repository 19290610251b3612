// Type-ahead for the jurisdiction field: fills the <datalist> from /deferrals/jurisdiction-options.
// Without JavaScript the field still works: type the FIPS code or "Name, ST".
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-options-url");
  var input = document.querySelector("input.jurisdiction-typeahead");
  var list = document.getElementById("jurisdiction-options");
  if (!url || !input || !list) {
    return;
  }
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  var timer = null;
  var lastQuery = "";

  function fill(options) {
    list.textContent = "";
    options.forEach(function (option) {
      var element = document.createElement("option");
      element.value = option.value;
      list.appendChild(element);
    });
  }

  function lookUp() {
    var query = input.value.trim();
    if (query.length < 2 || query === lastQuery || /\(\d{5}\)$/.test(query)) {
      return;
    }
    lastQuery = query;
    fetch(url + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (options) {
        if (input.value.trim() === query) {
          fill(options);
        }
      })
      .catch(function () {
        fill([]);
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 150);
  });
})();
