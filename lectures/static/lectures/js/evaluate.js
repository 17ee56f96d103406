// The evaluation form, kept truthful:
// - the comment counts its characters against the limit (the server refuses
//   a longer one; nothing is cut off);
// - an indicator's "please rate" error goes once a level is chosen there,
//   also when the browser's back button brings the form back with the
//   earlier choices restored.
(function () {
  function count(area, out) {
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    var n = Array.from(area.value).length;
    out.textContent = n + " / " + max;
    out.classList.toggle("over", n > max);
  }
  function resolve(form) {
    form.querySelectorAll("fieldset.indicator").forEach(function (set) {
      var chosen = set.querySelector("input[type=radio]:checked");
      set.querySelectorAll(".errorlist").forEach(function (list) {
        list.hidden = !!chosen;
      });
    });
  }
  function setUp() {
    document.querySelectorAll("form.evaluation-form").forEach(function (form) {
      form.querySelectorAll("textarea[data-max-chars]").forEach(function (area) {
        var out = form.querySelector('[data-count-for="' + area.id + '"]');
        if (!out) return;
        area.addEventListener("input", function () { count(area, out); });
        count(area, out);
      });
      form.addEventListener("change", function () { resolve(form); });
      resolve(form);
    });
  }
  document.addEventListener("DOMContentLoaded", setUp);
  // Chromium restores earlier choices as the page loads: look again then.
  window.addEventListener("load", function () {
    document.querySelectorAll("form.evaluation-form").forEach(resolve);
  });
  // Restored from the back/forward cache: the choices are back, run again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) setUp();
  });
})();
