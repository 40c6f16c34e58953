/* propscope web app: say "Analysing…" while the form is sent (the page works without it). */
(function () {
  "use strict";
  var form = document.querySelector("form.analyse-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    var busy = form.querySelector("[data-busy]");
    if (busy) { busy.hidden = false; }
    /* Disable after the browser has collected the form data, so the submission goes out. */
    setTimeout(function () { if (button) { button.disabled = true; } }, 0);
  });
})();
