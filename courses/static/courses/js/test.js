// The test page: save each answer as it is chosen, and count down to the
// deadline the server set. The server is the clock: answers it receives after
// the deadline are not kept, whatever this page shows.
(function () {
  var form = document.getElementById("test-form");
  if (!form) return;
  var saveUrl = form.dataset.saveUrl;
  var deadline = new Date(form.dataset.deadline).getTime();
  var left = document.getElementById("time-left");
  var state = document.getElementById("save-state");

  function save() {
    var data = new FormData(form);
    fetch(saveUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          state.textContent = response.ok ? state.dataset.saved || "✓" : body.error;
        });
      })
      .catch(function () {
        state.textContent = "…";
      });
  }

  form.addEventListener("change", save);

  function tick() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    left.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
    if (seconds === 0) {
      form.querySelector("button[type=submit]").click();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
