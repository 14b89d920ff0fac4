// Atrium's one script: enhancements only (every page works without it). Served from /static (no inline script).
// A button with data-copy="ELEMENT_ID" copies that element's text; a form with data-confirm asks first.
"use strict";
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch (_) {
    button.textContent = "Select the key and copy it";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.querySelectorAll("button[data-copy]").forEach((button) => { button.hidden = false; });
