// Page behaviours that would otherwise be inline event handlers, which the Content-Security-Policy
// forbids (script-src 'self'): markup asks for them with data attributes.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]") && el.form) {
    el.form.requestSubmit();
  }
});

// "dd/mm/yyyy" (or yyyy-mm-dd) as "yyyy-mm-dd", which compares as text; "" when unreadable.
function isoDate(text) {
  const value = (text || "").trim();
  let m = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  if (m) {
    return `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
  }
  m = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? value : "";
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-check-all]");
  if (button) {
    // With data-members-on: only the boxes of people who were members on that date (joined on or
    // before it, not left by then: clubs.rules.member_on), read from their data-joined/data-left.
    const dateInput = button.dataset.membersOn ? document.querySelector(button.dataset.membersOn) : null;
    const on = dateInput ? isoDate(dateInput.value) : "";
    document.querySelectorAll(button.dataset.checkAll).forEach((box) => {
      if (on && box.dataset.joined) {
        box.checked = box.dataset.joined <= on && (!box.dataset.left || box.dataset.left > on);
      } else {
        box.checked = true;
      }
    });
  }
});

// "In trang này" on the printed books: the browser's print dialog (A4, static/css/print.css).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
