// The roster's "tick all" box ticks every row shown.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-roster-all]");
  if (!all) return;
  all.addEventListener("change", () => {
    for (const box of document.querySelectorAll('#roster-marks input[name="picked"]')) {
      box.checked = all.checked;
    }
  });
});
