/* Live Markdown preview for knowledge-base admin forms.
 *
 * Pairs every textarea carrying data-kb-preview-url with a preview pane. The server renders and
 * sanitises the Markdown (the same code path readers get), so this script never builds HTML from
 * the text itself: it only places the server's sanitised fragment in the pane.
 */
(function () {
  "use strict";

  var DELAY_MS = 400;
  var RTL_LANGUAGES = ["ar", "he", "fa", "ur"];

  function csrfToken(textarea) {
    var form = textarea.form || document;
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function currentLanguage(textarea) {
    var field = document.getElementById("id_language");
    if (field && field.value) return field.value;
    // On the change form the language is read-only, so the server puts it on the textarea.
    return textarea.dataset.kbLanguage || "";
  }

  function buildPane(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "kb-md-editor";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(textarea);

    var pane = document.createElement("section");
    pane.className = "kb-md-pane";
    pane.setAttribute("aria-label", textarea.dataset.kbPreviewTitle);
    var heading = document.createElement("p");
    heading.className = "kb-md-heading";
    heading.textContent = textarea.dataset.kbPreviewTitle;
    var status = document.createElement("p");
    status.className = "kb-md-status";
    status.setAttribute("role", "status");
    var content = document.createElement("div");
    content.className = "kb-md-preview";
    pane.appendChild(heading);
    pane.appendChild(status);
    pane.appendChild(content);
    wrapper.appendChild(pane);
    return { status: status, content: content };
  }

  function attach(textarea) {
    var pane = buildPane(textarea);
    var timer = null;
    var controller = null;

    function show(html) {
      var language = currentLanguage(textarea);
      pane.content.setAttribute("lang", language || "");
      pane.content.setAttribute("dir", RTL_LANGUAGES.indexOf(language) >= 0 ? "rtl" : "ltr");
      // Sanitised server-side by helpdesk.markdown (allow-listed tags, safe URL schemes only).
      pane.content.innerHTML = html || "";
      if (!html) pane.status.textContent = textarea.dataset.kbPreviewEmpty;
    }

    function refresh() {
      if (controller) controller.abort();
      controller = new AbortController();
      pane.status.textContent = textarea.dataset.kbPreviewBusy;
      pane.content.setAttribute("aria-busy", "true");
      var body = new URLSearchParams();
      body.set("body", textarea.value);
      body.set("language", currentLanguage(textarea));
      fetch(textarea.dataset.kbPreviewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea) },
        signal: controller.signal,
      })
        .then(function (response) {
          return response.text().then(function (text) {
            if (!response.ok) {
              var isMessage = response.status === 400 && text;
              throw new Error(isMessage ? text : textarea.dataset.kbPreviewError);
            }
            pane.status.textContent = "";
            show(text);
          });
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          pane.status.textContent = error.message || textarea.dataset.kbPreviewError;
        })
        .finally(function () {
          pane.content.removeAttribute("aria-busy");
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    }

    textarea.addEventListener("input", schedule);
    var language = document.getElementById("id_language");
    if (language) language.addEventListener("change", schedule);
    refresh();
  }

  function init() {
    var fields = document.querySelectorAll("textarea[data-kb-preview-url]");
    Array.prototype.forEach.call(fields, attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
