/* The triage inbox from the keyboard. Everything here is a shortcut for a button
   already on the page (the page works without this file):
   j/k move, a accept, d dismiss (reason picker), x select, A/D accept/dismiss the
   selected, o open, ? help. The cursor survives the page reload after an action,
   so the next claim is under it. */
(function () {
  "use strict";
  var form = document.getElementById("triage-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".triage-row"));
  var help = document.getElementById("triage-help");
  var picker = document.getElementById("dismiss-picker");
  var reason = document.getElementById("dismiss-reason");
  var helpButton = document.getElementById("triage-help-button");
  var key = "triage-cursor:" + location.pathname + location.search;
  var cursor = 0;
  var pendingDismiss = null; // the button to press once a reason is picked

  function move(to) {
    if (!rows.length) return;
    to = Math.max(0, Math.min(rows.length - 1, to));
    if (rows[cursor]) {
      rows[cursor].classList.remove("current");
      rows[cursor].removeAttribute("aria-current");
    }
    cursor = to;
    var row = rows[cursor];
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function remember() {
    try { sessionStorage.setItem(key, String(cursor)); } catch (e) { /* private mode */ }
  }

  function press(button) {
    if (!button) return;
    remember();
    button.click();
  }

  function openPicker(button) {
    pendingDismiss = button;
    picker.showModal();
    var first = picker.querySelector("button[data-reason]");
    if (first) first.focus();
  }

  function pick(value) {
    reason.value = value;
    picker.close();
    press(pendingDismiss);
  }

  function selected() {
    return form.querySelectorAll("input[name=ids]:checked").length;
  }

  picker.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-reason]");
    if (b) pick(b.getAttribute("data-reason"));
  });
  picker.addEventListener("keydown", function (e) {
    var n = parseInt(e.key, 10);
    var choices = picker.querySelectorAll("button[data-reason]");
    if (n >= 1 && n <= choices.length) {
      e.preventDefault();
      pick(choices[n - 1].getAttribute("data-reason"));
    }
  });
  helpButton.hidden = false;
  helpButton.addEventListener("click", function () { help.showModal(); });
  rows.forEach(function (row, i) {
    row.addEventListener("click", function () { move(i); });
  });
  form.addEventListener("submit", remember);

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (help.open || picker.open) return; // the dialog has the keyboard (Esc closes it)
    var t = e.target;
    if (t && (t.tagName === "INPUT" && t.type !== "checkbox" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
    var row = rows[cursor];
    var handled = true;
    switch (e.key) {
      case "j": move(cursor + 1); break;
      case "k": move(cursor - 1); break;
      case "x": if (row) { var box = row.querySelector("input[name=ids]"); box.checked = !box.checked; } break;
      case "a": if (row) press(row.querySelector(".accept-one")); break;
      case "d": if (row) openPicker(row.querySelector(".dismiss-one")); break;
      case "o": if (row) { remember(); row.querySelector(".triage-text a").click(); } break;
      case "A": if (selected()) press(document.getElementById("bulk-accept")); break;
      case "D": if (selected()) openPicker(document.getElementById("bulk-dismiss")); break;
      case "?": help.showModal(); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  var saved = 0;
  try { saved = parseInt(sessionStorage.getItem(key) || "0", 10) || 0; } catch (e) { saved = 0; }
  if (rows.length) move(saved);
})();
