/* One click, one request: once a form is sent its submit buttons are disabled until the next page.
   The server keeps one record per form anyway (clubs/submissions.py); this spares people the wait
   and the notice. Loaded on every page by base.html, with no inline code, for a strict CSP.
   A form that must stay clickable (none today) opts out with the attribute data-submit-again. */
(function () {
  "use strict";

  // A GET form, a form opening in another tab, or a form marked data-download (its answer is a
  // file) leaves this page in place: its buttons come back after a short while.
  var STAYS_MS = 2000;
  // Any other form normally leaves the page. If the answer never comes (connection lost, a file
  // after all), the buttons come back late; a resend is then harmless, the server knows the token.
  var FALLBACK_MS = 30000;

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "BUTTON" && el.type === "submit") ||
        (el.tagName === "INPUT" && (el.type === "submit" || el.type === "image"));
    });
  }

  function release(form) {
    delete form.dataset.sending;
    submitButtons(form).forEach(function (button) {
      if (button.dataset.sentDisabled) {
        delete button.dataset.sentDisabled;
        button.disabled = false;
        button.removeAttribute("aria-busy");
      }
    });
  }

  function staysOnPage(form, submitter) {
    var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
    var target = (submitter && submitter.getAttribute("formtarget")) || form.getAttribute("target") || "";
    return method.toLowerCase() === "get" || (target !== "" && target !== "_self") || form.hasAttribute("data-download");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // Cancelled by another script (htmx sends its own request and keeps the page): not ours.
    if (event.defaultPrevented || form.hasAttribute("data-submit-again")) {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    // After the browser has read the form: a disabled submitter would not send its name and value.
    window.setTimeout(function () {
      submitButtons(form).forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.dataset.sentDisabled = "1";
          button.setAttribute("aria-busy", "true");
        }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, staysOnPage(form, event.submitter) ? STAYS_MS : FALLBACK_MS);
  });

  // Back and forward keep the page as it was left (bfcache), buttons disabled: make it usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
