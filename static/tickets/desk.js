/* Agent desk: keyboard shortcuts, select-all, canned-response insertion, shortcuts dialog.
   Everything here is an enhancement: every flow also works by plain links and forms. */
(function () {
  "use strict";

  var CURRENT = "is-current";

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    if (tag === "input") {
      // Ticking a box or a radio is not typing: j/k/x must keep working from there.
      return !/^(checkbox|radio|button|submit|reset)$/.test(target.type);
    }
    return tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-desk-row]"));
  }

  function currentIndex(list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains(CURRENT)) return i;
    }
    return -1;
  }

  function moveTo(list, index) {
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row) { row.classList.remove(CURRENT); });
    var row = list[index];
    row.classList.add(CURRENT);
    // Focusing the subject link keeps the browser's own focus ring and makes Enter open it.
    var link = row.querySelector("[data-desk-open]");
    if (link) link.focus();
  }

  function currentRow() {
    var list = rows();
    var index = currentIndex(list);
    return index >= 0 ? list[index] : null;
  }

  function focusComposer(kind) {
    var composer = document.getElementById("composer");
    if (!composer) return false;
    var radio = composer.querySelector('input[name="kind"][value="' + kind + '"]');
    if (radio) radio.checked = true;
    var body = composer.querySelector("[data-desk-composer]");
    if (body) body.focus();
    return true;
  }

  function openShortcuts() {
    var dialog = document.getElementById("desk-shortcuts");
    if (!dialog || dialog.open) return;
    // showModal() traps focus inside the dialog, Esc closes it, and focus returns afterwards.
    dialog.showModal();
  }

  var handlers = {
    j: function () { var l = rows(); moveTo(l, currentIndex(l) + 1); return l.length > 0; },
    k: function () { var l = rows(); moveTo(l, currentIndex(l) - 1); return l.length > 0; },
    o: function () {
      var row = currentRow();
      var link = row && row.querySelector("[data-desk-open]");
      if (link) window.location.href = link.href;
      return !!link;
    },
    x: function () {
      var row = currentRow();
      var box = row && row.querySelector('input[type="checkbox"]');
      if (box) box.checked = !box.checked;
      return !!box;
    },
    r: function () { return focusComposer("public"); },
    n: function () { return focusComposer("internal"); },
    "?": function () { openShortcuts(); return true; }
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    var key = event.key;
    if (key === "Enter" && event.target === document.body) key = "o";
    var handler = handlers[key];
    if (handler && handler()) event.preventDefault();
  });

  // Clicking a row (outside its controls) makes it the current row for j/k.
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-desk-row]");
    if (!row) return;
    rows().forEach(function (r) { r.classList.toggle(CURRENT, r === row); });
  });

  function setUpSelectAll() {
    var all = document.querySelector("[data-desk-select-all]");
    if (!all) return;
    all.hidden = false;
    all.addEventListener("change", function () {
      rows().forEach(function (row) {
        var box = row.querySelector('input[type="checkbox"]');
        if (box) box.checked = all.checked;
      });
    });
  }

  function insertAtCursor(field, text) {
    var start = field.selectionStart || 0;
    var end = field.selectionEnd || 0;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    var glue = before && !/\n$/.test(before) ? "\n\n" : "";
    field.value = before + glue + text + after;
    var caret = (before + glue + text).length;
    field.focus();
    field.setSelectionRange(caret, caret);
  }

  function setUpCanned() {
    var button = document.querySelector("[data-desk-insert-canned]");
    var select = document.querySelector("[data-desk-canned]");
    var body = document.querySelector("[data-desk-composer]");
    if (!button || !select || !body) return;
    // Without this script the button posts and the server puts the text in; here we insert
    // the server-filled text at the cursor and keep the page as it is.
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) { select.focus(); return; }
      insertAtCursor(body, option.getAttribute("data-body") || "");
      select.selectedIndex = 0;
    });
  }

  function setUpShortcutsButton() {
    var button = document.querySelector("[data-desk-shortcuts]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", openShortcuts);
  }

  function init() {
    setUpSelectAll();
    setUpCanned();
    setUpShortcutsButton();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
