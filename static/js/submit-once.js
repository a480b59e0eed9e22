/* Every POST form sends once: after the first submit, its buttons are disabled and further
   submits are ignored until the answer arrives (a double click, an impatient second click).
   The server is the real guard (each create form carries a one-time submission key); this
   spares the user a second wait. A form shown again after a validation error is a new page,
   and a page restored by the browser's back button is re-enabled (pageshow). */
(function () {
  "use strict";
  var SENDING = "data-sending";

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute(SENDING)) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) { return; }
    form.setAttribute(SENDING, "");
    // Disabled after this turn, so the clicked button's name and value are still sent.
    window.setTimeout(function () {
      buttons(form).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[" + SENDING + "]").forEach(function (form) {
      form.removeAttribute(SENDING);
      buttons(form).forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });
}());
