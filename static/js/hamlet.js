import { initAll as initGovukFrontend } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj-frontend/moj-frontend.min.js";

// Hamlet front-end bootstrap (ES module, served from 'self' - no inline JS).
//
// The relative specifiers above are rewritten to hashed file names by
// collectstatic because hamlet.storage.StaticStorage enables Django's
// support_js_module_import_aggregation. Keep them relative, in double
// quotes, one statement per line and ending with a semicolon.
//
// GOV.UK Frontend's page template sets these classes with an inline
// <script>; under a strict CSP (script-src 'self') we set them here instead.
// Module scripts only run in browsers that GOV.UK Frontend supports, so no
// feature test is needed.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
initMojFrontend();

// The error summary's links name a field by its id, and for a date input, a group of
// radios or checkboxes that id is a wrapper or nothing at all. Point each link at the
// field's first input, so GOV.UK Frontend's error summary moves focus into the field.
function firstInputOf(id) {
  const target = document.getElementById(id);
  if (target && target.matches("input, select, textarea")) {
    return target;
  }
  const inside = target && target.querySelector("input:not([type=hidden]), select, textarea");
  if (inside) {
    return inside;
  }
  const name = id.replace(/^id_/, "");
  return document.querySelector(`[name="${CSS.escape(name)}"]:not([type=hidden])`);
}

const errorSummary = document.querySelector(".govuk-error-summary");
if (errorSummary) {
  for (const link of errorSummary.querySelectorAll(".govuk-error-summary__list a[href^='#']")) {
    const input = firstInputOf(decodeURIComponent(link.hash.slice(1)));
    if (input && input.id) {
      link.hash = input.id;
    }
  }
  // A refused form posted from an address with a fragment (#main-content, after the skip
  // link) comes back with it, and the browser would move focus there once the page has
  // loaded: the error summary keeps it.
  window.addEventListener("load", () => {
    if (!errorSummary.contains(document.activeElement)) {
      errorSummary.setAttribute("tabindex", "-1");
      errorSummary.focus();
    }
  });
}
