// Taizhang: the only script of our own (htmx is served by django-htmx). Everything works without it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// Filter boxes of unit pickers (a grouped <select> or a checklist): shown only when this script
// runs; without it the full list is there to pick from.
document.querySelectorAll("[data-unit-filter]").forEach(function (box) {
  var target = document.getElementById(box.getAttribute("data-unit-filter"));
  if (!target) return;
  box.hidden = false;
  box.addEventListener("input", function () {
    var words = box.value.trim();
    var items = target.tagName === "SELECT" ? target.querySelectorAll("option") : target.querySelectorAll(".unit-option");
    items.forEach(function (item) {
      var checked = item.selected || (item.querySelector && item.querySelector("input:checked"));
      item.hidden = words !== "" && item.textContent.indexOf(words) < 0 && !checked;
    });
    target.querySelectorAll("optgroup, fieldset").forEach(function (group) {
      var shown = group.querySelectorAll(target.tagName === "SELECT" ? "option:not([hidden])" : ".unit-option:not([hidden])");
      group.hidden = shown.length === 0;
    });
  });
});
