// NHS.UK frontend ships as an ES module; it cannot be started by an inline script under our CSP.
import { initAll } from "/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();
