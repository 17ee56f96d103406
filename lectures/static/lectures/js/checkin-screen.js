// Refreshes the check-in screen: a new QR code and code every rotation, and
// the live count, without reloading the page. No inline script (CSP).
(function () {
  "use strict";
  var screen = document.querySelector(".screen[data-status-url]");
  if (!screen) return;
  var url = screen.getAttribute("data-status-url");

  function show(status) {
    screen.querySelector("img.qr").src = status.qr;
    ["code", "checked_in", "registered"].forEach(function (name) {
      var node = screen.querySelector('[data-field="' + name + '"]');
      if (node) node.textContent = status[name];
    });
    return status.rotates_in;
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) { schedule(show(status)); })
      .catch(function () { schedule(5); });
  }

  function schedule(seconds) {
    // Refresh the count often and never let the code run past its rotation.
    window.setTimeout(refresh, Math.max(1, Math.min(seconds, 5)) * 1000);
  }

  schedule(Number(screen.getAttribute("data-rotates-in")) || 5);
})();
