// Taizhang: the only script of our own (htmx is served by django-htmx). Everything works without it.
document.documentElement.classList.add("js");

// The menu button on narrow screens: a real button with aria-expanded (without JavaScript the menu shows).
(function () {
  var button = document.querySelector(".nav-button");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
    if (open) {
      var first = nav.querySelector("a, button");
      if (first) first.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      nav.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
// A form sent back with mistakes: the focus goes to the first field to correct (its message is tied
// to it by aria-describedby), so keyboard and screen-reader users start where the work is.
(function () {
  var invalid = document.querySelector("main [aria-invalid=true]");
  if (invalid && !document.querySelector("[autofocus]")) invalid.focus();
})();
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

// After an in-place (htmx) swap: announce its result in the page's live region (present from page
// load, so screen readers hear it) and put the focus on the swapped part instead of leaving it on <body>.
document.addEventListener("htmx:afterSwap", function (event) {
  var live = document.getElementById("live");
  var target = event.detail && event.detail.elt;
  if (!target || !document.body.contains(target)) {
    var id = event.detail && event.detail.target && event.detail.target.id;
    target = id ? document.getElementById(id) : null;
  }
  if (!target) return;
  var said = target.querySelector("[data-announce]");
  if (live && said) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = said.textContent.trim(); }, 50);
  }
  var invalid = target.querySelector("[aria-invalid=true]");
  if (invalid) {
    invalid.focus();
  } else if (target.hasAttribute("tabindex") && document.activeElement === document.body) {
    target.focus();
  }
});
