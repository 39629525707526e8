// LIFF SDK test double, served by the LINE platform emulator at /liff/sdk.js (README.md, "LIFF").
// It offers the part of the LIFF v2 API the claim page uses (liff.init, liff.ready, liff.id,
// liff.isLoggedIn, liff.login, liff.getIDToken) with the behaviour LINE's API reference gives.
// Which LINE user is on "this phone", and whether they are logged in, is set through the
// emulator's control API; the page under test cannot influence it.
(function () {
  "use strict";

  // The emulator that served this file holds the session, issues ID tokens and plays LINE Login.
  var script = document.currentScript;
  var emulator = script && script.src ? new URL(script.src).origin : null;

  var app = null; // {liffId, endpointUrl} once liff.init() has resolved
  var loggedIn = false;
  var idToken = null;
  var markReady;

  // LiffError: an Error with LINE's `code` (INIT_FAILED, INVALID_CONFIG, ...).
  function liffError(code, message, cause) {
    var error = new Error(message);
    error.name = "LiffError";
    error.code = code;
    if (cause !== undefined) error.cause = cause;
    return error;
  }

  // LINE opens the bare endpoint URL with ?liff.state=<rest of the LIFF URL>; liff.init() then
  // goes to the endpoint URL with that rest appended (path, query or fragment).
  function secondaryRedirectUrl(endpointUrl, state) {
    var joined = state.charAt(0) === "/" ? endpointUrl.replace(/\/$/, "") + state : endpointUrl + state;
    var target = new URL(joined);
    if (target.origin !== new URL(endpointUrl).origin)
      throw liffError("INIT_FAILED", "liff.state leads outside the endpoint URL");
    return target.toString();
  }

  function readSession(liffId) {
    if (!emulator)
      return Promise.reject(liffError("INIT_FAILED", "Failed to init LIFF SDK: sdk.js must be loaded by a <script src>"));
    var url = emulator + "/_emulator/liff/session?liffId=" + encodeURIComponent(liffId);
    return fetch(url, { credentials: "omit", cache: "no-store" })
      .catch(function (cause) {
        throw liffError("INIT_FAILED", "Failed to init LIFF SDK", cause);
      })
      .then(function (response) {
        if (response.status === 404)
          throw liffError("INIT_FAILED", "Failed to init LIFF SDK: no LIFF app " + liffId);
        if (!response.ok)
          throw liffError("INIT_FAILED", "Failed to init LIFF SDK: HTTP " + response.status);
        return response.json();
      });
  }

  var liff = {
    id: null,
    ready: new Promise(function (resolve) { markReady = resolve; }),

    init: function (config) {
      if (!config || typeof config.liffId !== "string" || config.liffId === "")
        return Promise.reject(liffError("INVALID_CONFIG", "liffId is necessary for liff.init()"));
      return readSession(config.liffId).then(function (session) {
        var state = new URLSearchParams(location.search).get("liff.state");
        if (state) {
          location.replace(secondaryRedirectUrl(session.endpointUrl, state));
          // The page is being replaced: nothing chained on init() may run on the primary URL.
          return new Promise(function () {});
        }
        app = { liffId: session.liffId, endpointUrl: session.endpointUrl };
        loggedIn = session.loggedIn === true;
        idToken = loggedIn ? session.idToken : null;
        liff.id = session.liffId;
        markReady();
      });
    },

    isLoggedIn: function () {
      return loggedIn;
    },

    // Leaves the page for LINE Login, which comes back to redirectUri (default: the endpoint URL).
    login: function (loginConfig) {
      if (!app)
        throw liffError("INIT_FAILED", "liff.login() needs a resolved liff.init()");
      var target = new URL(emulator + "/liff/login");
      target.searchParams.set("liffId", app.liffId);
      target.searchParams.set("redirectUri", (loginConfig && loginConfig.redirectUri) || app.endpointUrl);
      location.href = target.toString();
    },

    // The raw ID token (a JWT) of the logged-in user, for the server to verify; null otherwise.
    getIDToken: function () {
      return loggedIn ? idToken : null;
    }
  };

  window.liff = liff;
})();
