// Live SLA countdowns on the desk: rewrites "due in …" / "overdue by …" every 30 seconds.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "always" }) : null;
  function phrase(seconds) {
    var abs = Math.abs(seconds), unit = "minute", value = Math.round(seconds / 60);
    if (abs >= 86400) { unit = "day"; value = Math.round(seconds / 86400); }
    else if (abs >= 3600) { unit = "hour"; value = Math.round(seconds / 3600); }
    return format ? format.format(value, unit) : null;
  }
  function tick() {
    var now = Date.now() / 1000;
    document.querySelectorAll("[data-sla-due]").forEach(function (el) {
      var left = Number(el.getAttribute("data-sla-due")) - now;
      var text = phrase(left);
      if (text) { el.textContent = text; }
      el.classList.toggle("sla-breached", left <= 0);
    });
  }
  if (format) { setInterval(tick, 30000); }
})();
