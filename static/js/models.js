// The Models page: "select every model shown", and a confirmation before deleting the selection.
(function () {
  "use strict";
  const selected = () => document.querySelectorAll('input[name="selected"][form="bulk-form"]:checked');
  document.addEventListener("change", (event) => {
    if (!event.target.matches("[data-select-all]")) return;
    document.querySelectorAll('input[name="selected"][form="bulk-form"]').forEach((box) => {
      box.checked = event.target.checked;
    });
  });
  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!event.target.matches("#bulk-form") || !button) return;
    const question = button.dataset.confirmSelected;
    if (question && !window.confirm(`${question} (${selected().length})`)) event.preventDefault();
  });
})();
