// Start GOV.UK Frontend's components. Loaded as a module, so browsers too old for GOV.UK
// Frontend's JavaScript skip it and keep the no-JavaScript pages (as the official inline
// snippet does; our Content-Security-Policy allows no inline scripts).
import { initAll } from "../../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
