/* The /add page: send the form to POST /api/documents with the write token in a
   header, then open the article in the reader. The token is typed once and kept in
   localStorage for this origin; the page never carries it. No inline script: the
   Content-Security-Policy forbids it. */
(function () {
  "use strict";
  var form = document.getElementById("add-form");
  if (!form) { return; }
  var KEY = "claimgraph-token";
  var tokenInput = document.getElementById("token");
  var tokenState = document.getElementById("token-state");
  var status = document.getElementById("add-status");
  var errorBox = document.getElementById("add-error");
  var submit = document.getElementById("add-submit");

  function stored() {
    try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }
  function remember(value) {
    try {
      if (value) { window.localStorage.setItem(KEY, value); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage disabled: the token lives in the field only */ }
  }
  function showTokenState() {
    tokenState.textContent = stored() ? "A token is kept in this browser." : "No token kept yet.";
  }
  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }
  tokenInput.value = stored();
  showTokenState();
  tokenInput.addEventListener("change", function () {
    remember(tokenInput.value.trim());
    showTokenState();
  });
  document.getElementById("forget-token").addEventListener("click", function () {
    tokenInput.value = "";
    remember("");
    showTokenState();
  });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    errorBox.hidden = true;
    var token = tokenInput.value.trim() || stored();
    if (!token) {
      showError("Paste the write token first (printed by claimgraph serve at start).");
      tokenInput.focus();
      return;
    }
    remember(token);
    showTokenState();
    var data = new FormData(form);
    var file = data.get("file");
    if (file && typeof file === "object" && !file.name && !file.size) { data.delete("file"); }
    submit.disabled = true;
    status.textContent = "Reading and extracting…";
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Claimgraph-Token": token, "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.reader) {
          status.textContent = body.message || "Stored.";
          window.location.assign(body.reader);
          return;
        }
        var detail = body.detail;
        if (typeof detail !== "string") { detail = JSON.stringify(detail || response.statusText); }
        if (response.status === 401) { detail = "The token was not accepted: " + detail; }
        showError(detail);
        status.textContent = "";
        submit.disabled = false;
      });
    }).catch(function (err) {
      showError("The request failed: " + err);
      status.textContent = "";
      submit.disabled = false;
    });
  });
})();
