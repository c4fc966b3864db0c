/* claimgraph reader: popovers for marked spans, built with textContent only
   (article text never goes through innerHTML). No network access beyond this server.
   No inline script or handler anywhere: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  /* <select data-autosubmit>: submit its form on change (the timeline's actor). */
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t instanceof HTMLSelectElement && t.hasAttribute("data-autosubmit") && t.form) { t.form.submit(); }
  });
})();
(function () {
  "use strict";
  var dataEl = document.getElementById("cg-data");
  if (!dataEl) { return; }
  var data = JSON.parse(dataEl.textContent || "{}");
  var atts = data.attributions || {};
  var evs = data.events || {};
  var pop = document.getElementById("popover");
  var active = [];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function row(dl, label, value, href) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (href) { var a = el("a", null, value); a.href = href; dd.appendChild(a); }
    else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function who(w) {
    if (!w) { return null; }
    var parts = [w.type, w.country, w.role].filter(function (x) { return x; });
    return w.name + (parts.length ? " (" + parts.join(" · ") + ")" : "");
  }
  function attItem(a) {
    var box = el("div", "pop-item pop-att");
    box.appendChild(el("h4", null, "Statement " + a.id));
    var dl = el("dl");
    row(dl, "speaker", a.speaker ? who(a.speaker) : (a.source ? a.source + " (unresolved)" : "unknown"),
        a.speaker && a.speaker.url);
    if (a.speaker && a.source && a.source !== a.speaker.name) { row(dl, "as", "“" + a.source + "”"); }
    row(dl, "channel", a.channel ? who(a.channel) : null, a.channel && a.channel.url);
    row(dl, "cue", a.cue);
    row(dl, "stance", a.stance);
    row(dl, "kind", a.kind);
    row(dl, "said", a.content);
    box.appendChild(dl);
    return box;
  }
  function evItem(e) {
    var box = el("div", "pop-item pop-ev");
    box.appendChild(el("h4", null, "Event " + e.id));
    var dl = el("dl");
    row(dl, "type", e.type + (e.mode ? " · " + e.mode : ""));
    row(dl, "trigger", e.trigger);
    row(dl, "actor", e.actor ? who(e.actor) : "?", e.actor && e.actor.url);
    row(dl, "target", e.target ? who(e.target) : "?", e.target && e.target.url);
    row(dl, "object", e.object);
    row(dl, "polarity", e.polarity);
    row(dl, "modality", e.modality);
    row(dl, "time", e.time);
    row(dl, "voice", e.voice);
    box.appendChild(dl);
    return box;
  }
  function ids(node, attr) {
    var v = node.getAttribute(attr);
    return v ? v.split(" ") : [];
  }
  function clearActive() {
    active.forEach(function (n) { n.classList.remove("cg-active"); });
    active = [];
  }
  function markAll(attIds, evIds) {
    clearActive();
    document.querySelectorAll(".cg-mark").forEach(function (n) {
      var hit = ids(n, "data-att").some(function (i) { return attIds.indexOf(i) >= 0; }) ||
                ids(n, "data-ev").some(function (i) { return evIds.indexOf(i) >= 0; });
      if (hit) { n.classList.add("cg-active"); active.push(n); }
    });
  }
  function show(anchor, attIds, evIds) {
    while (pop.firstChild) { pop.removeChild(pop.firstChild); }
    var close = el("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", hide);
    pop.appendChild(close);
    attIds.forEach(function (i) { if (atts[i]) { pop.appendChild(attItem(atts[i])); } });
    evIds.forEach(function (i) { if (evs[i]) { pop.appendChild(evItem(evs[i])); } });
    markAll(attIds, evIds);
    var r = anchor.getBoundingClientRect();
    pop.hidden = false;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.left = left + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function hide() { pop.hidden = true; clearActive(); }

  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (!(target instanceof Element)) { return; }
    var jump = target.closest(".jump");
    if (jump) {
      ev.preventDefault();
      focusRefs(jump.getAttribute("data-att") ? [jump.getAttribute("data-att")] : [],
                jump.getAttribute("data-ev") ? [jump.getAttribute("data-ev")] : []);
      return;
    }
    var mark = target.closest(".cg-mark[data-att], .cg-mark[data-ev]");
    if (mark) { show(mark, ids(mark, "data-att"), ids(mark, "data-ev")); return; }
    if (!pop.contains(target)) { hide(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hide(); return; }
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t instanceof Element && t.classList.contains("cg-mark")) {
      ev.preventDefault();
      show(t, ids(t, "data-att"), ids(t, "data-ev"));
    }
  });
  document.addEventListener("mouseover", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element) || !pop.hidden) { return; }
    var mark = t.closest(".cg-mark[data-att]");
    if (mark) { markAll(ids(mark, "data-att"), []); } else if (active.length) { clearActive(); }
  });

  function focusRefs(attIds, evIds) {
    var first = null;
    document.querySelectorAll(".cg-mark").forEach(function (n) {
      if (first) { return; }
      if (ids(n, "data-att").some(function (i) { return attIds.indexOf(i) >= 0; }) ||
          ids(n, "data-ev").some(function (i) { return evIds.indexOf(i) >= 0; })) { first = n; }
    });
    if (first) {
      first.scrollIntoView({ block: "center" });
      show(first, attIds.length ? ids(first, "data-att").filter(function (i) { return attIds.indexOf(i) >= 0; }) : [],
           evIds.length ? ids(first, "data-ev").filter(function (i) { return evIds.indexOf(i) >= 0; }) : []);
    }
  }
  /* #pos-N (from statement and search links): the statement covering offset N,
     else the first one after it. */
  function fromHash() {
    var m = /^#pos-(\d+)$/.exec(window.location.hash);
    if (!m) {
      var a = /^#att-([A-Za-z0-9_.-]+)$/.exec(window.location.hash);
      if (a) { focusRefs([a[1]], []); }
      return;
    }
    var pos = parseInt(m[1], 10);
    var best = null, after = null;
    Object.keys(atts).forEach(function (k) {
      var a = atts[k];
      if (a.start <= pos && pos < a.end) { if (!best || a.end - a.start < best.end - best.start) { best = a; } }
      else if (a.start >= pos && (!after || a.start < after.start)) { after = a; }
    });
    var pick = best || after;
    if (pick) { focusRefs([pick.id], []); return; }
    Object.keys(evs).forEach(function (k) { var e = evs[k]; if (!pick && e.start >= pos) { pick = e; } });
    if (pick) { focusRefs([], [pick.id]); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
