// Loaded at the end of <body>. The GOV.UK template's inline class-setting snippet is blocked by
// our Content-Security-Policy (no inline script), so the same classes are set here instead.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
  window.GOVUKFrontend.initAll();
  if (window.MOJFrontend) {
    window.MOJFrontend.initAll();
  }
}
