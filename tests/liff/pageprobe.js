// Installed by PageProbe in every document of the tab before the document's own scripts run
// (DevTools Page.addScriptToEvaluateOnNewDocument, which the page's CSP does not govern).
// It reports to the test through the poptapProbe binding (Runtime.addBinding).
(function () {
  "use strict";
  function report(kind, data) {
    data.kind = kind;
    data.url = location.href;
    window.poptapProbe(JSON.stringify(data));
  }

  // Every CSP refusal in this document, whatever caused it (script, fetch, style, image).
  window.addEventListener("securitypolicyviolation", function (e) {
    report("csp", { directive: e.effectiveDirective, blockedURI: e.blockedURI, sourceFile: e.sourceFile,
                    lineNumber: e.lineNumber, disposition: e.disposition });
  }, true);

  // The claim page puts its outcome on <body data-result>; report it once, with the text the
  // shopper reads, as soon as the DOM settles after the change.
  var reported = false;
  function reportOutcome() {
    var body = document.body;
    if (reported || !body || !body.dataset.result)
      return;
    reported = true;
    var title = document.getElementById("title");
    report("outcome", { result: body.dataset.result, title: title ? title.textContent : "", text: body.innerText });
  }
  new MutationObserver(reportOutcome).observe(document, { subtree: true, childList: true, attributes: true,
                                                          characterData: true });
})();
