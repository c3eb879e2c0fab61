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
