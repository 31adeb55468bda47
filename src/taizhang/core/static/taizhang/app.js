// Taizhang: the only script of our own (htmx is served by django-htmx). Everything works without it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
