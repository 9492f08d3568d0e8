// Contact form: while the subject is typed, suggest help articles that may answer it (ticket
// deflection). Progressive enhancement only: without this script the form works the same.
(function () {
  "use strict";
  var form = document.getElementById("contact-form");
  var region = document.getElementById("contact-suggestions");
  var subject = form && form.querySelector("input[name=subject]");
  if (!form || !region || !subject || !window.fetch) { return; }

  var DELAY_MS = 300;
  var MIN_CHARS = 3;
  var timer = null;
  var controller = null;
  var lastQuery = "";

  function clear() {
    region.replaceChildren();
  }

  // Built with textContent only: titles come from the API and must never become markup.
  function show(hits) {
    clear();
    if (!hits.length) { return; }
    var heading = document.createElement("p");
    heading.className = "suggestions-title";
    heading.textContent = region.dataset.title;
    var list = document.createElement("ul");
    hits.slice(0, 5).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      // A new tab, so what the visitor already typed here stays put.
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = hit.title;
      if (hit.language && hit.language !== form.dataset.lang) { link.lang = hit.language; }
      var note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = " " + region.dataset.newTab;
      link.appendChild(note);
      item.appendChild(link);
      list.appendChild(item);
    });
    region.appendChild(heading);
    region.appendChild(list);
  }

  function lookUp() {
    var query = subject.value.trim();
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (controller) { controller.abort(); }
    if (query.length < MIN_CHARS) { clear(); return; }
    controller = window.AbortController ? new AbortController() : null;
    var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(query) +
      "&lang=" + encodeURIComponent(form.dataset.lang || "");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit",
                 signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (hits) { if (query === lastQuery) { show(Array.isArray(hits) ? hits : []); } })
      .catch(function () { /* offline or aborted: suggestions are a bonus, stay quiet */ });
  }

  subject.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, DELAY_MS);
  });
  if (subject.value) { lookUp(); }
})();
