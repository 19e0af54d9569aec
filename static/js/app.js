// The app's one script, loaded as a module. GOV.UK Frontend 5 and MoJ Frontend 8 ship as ES
// modules (they end in `export {...}`): loaded as classic scripts they fail to parse and no
// component starts. The GOV.UK template marks the body with an inline snippet, which our
// Content-Security-Policy blocks, so the classes are set here, before any component starts.
import { initAll as initGovukFrontend } from "../vendor/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj-frontend.min.js";
import { startTimeoutWarning } from "./session-timeout.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovukFrontend();
initMojFrontend();
startTimeoutWarning(document.getElementById("session-timeout"));
