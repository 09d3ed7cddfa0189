// Progressive enhancement only: every page works without this file.
import { initAll } from "../dist/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Components inside fragments that htmx swaps in need starting too.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.target });
});
