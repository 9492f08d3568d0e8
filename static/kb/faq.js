// FAQ page: open the question named in the URL fragment, and keep the fragment in step with
// the question being read so that the address can be shared. Works without this script too.
(function () {
  "use strict";
  function openFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.querySelector("summary").focus();
    }
  }
  document.querySelectorAll("details[data-faq-url]").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + details.id);
        // Count the question as opened (the server records it; no personal data is sent).
        if (window.fetch) { fetch(details.dataset.faqUrl, { method: "HEAD", credentials: "same-origin" }); }
      }
    });
  });
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
})();
