// The schedule's filters fold behind "筛选" on a phone; on a wider screen
// they stay open (details[data-open-wide]). No framework: the site's CSP
// allows only its own scripts.
(function () {
  var wide = window.matchMedia("(min-width: 721px)");
  function apply() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      if (wide.matches) d.open = true;
    });
  }
  document.addEventListener("DOMContentLoaded", apply);
  wide.addEventListener("change", apply);
})();
