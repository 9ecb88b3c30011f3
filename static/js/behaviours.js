// Page behaviours that would otherwise be inline event handlers, which the Content-Security-Policy
// forbids (script-src 'self'): markup asks for them with data attributes.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]") && el.form) {
    el.form.requestSubmit();
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-check-all]");
  if (button) {
    document.querySelectorAll(button.dataset.checkAll).forEach((box) => { box.checked = true; });
  }
});
