// A search box above a list of ticked boxes: shows the options whose label
// holds what is typed; ticked ones stay visible.
(() => {
  const wire = (root) => {
    if (root.dataset.wired) return;
    root.dataset.wired = "1";
    const search = root.querySelector("[data-searchable-checkboxes-search]");
    search.addEventListener("input", () => {
      const query = search.value.trim();
      for (const label of root.querySelectorAll("label")) {
        const box = label.querySelector("input[type=checkbox]");
        const shown = !query || (box && box.checked) || label.textContent.includes(query);
        (label.closest("div:not(.searchable-checkboxes__list)") || label).hidden = !shown;
      }
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  };
  const wireAll = () => document.querySelectorAll("[data-searchable-checkboxes]").forEach(wire);
  document.addEventListener("DOMContentLoaded", wireAll);
  document.addEventListener("w-formset:ready", wireAll);
})();
