// A correction form's preview line ("Activation 2010-06-08 → 2010-06-09 for San Francisco
// County, CA") follows what is typed. The page works without it: the line then reads with
// "the date you enter" in place of the new value.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-preview]");
  Array.prototype.forEach.call(forms, function (form) {
    var output = form.querySelector("output.correction-preview");
    if (!output) { return; }
    var template = form.getAttribute("data-preview");
    var fallback = form.getAttribute("data-preview-blank") || "…";
    function value(name) {
      var input = form.querySelector("[data-preview-field='" + name + "']");
      if (!input) { return ""; }
      if (input.type === "checkbox") { return input.checked ? "removed" : ""; }
      return input.value.trim();
    }
    function render() {
      output.textContent = template.replace(/\{(\w+)\}/g, function (_, name) {
        var given = value(name);
        if (name === "plan") {
          var date = value("scheduled_on");
          given = value("removed") ? "removed from the plan" : (date ? "scheduled for " + date : "");
        }
        return given || form.getAttribute("data-preview-blank-" + name) || fallback;
      });
    }
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    render();
  });
})();
