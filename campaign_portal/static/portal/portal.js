// A form marked data-submit-once disables its buttons after the first submit,
// so a double click sends one request.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-submit-once")) return;
  if (form.dataset.submitted === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "yes";
  if (form.hasAttribute("data-busy")) form.classList.add("is-busy");
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
  });
});

// Actions marked data-confirm ask before going ahead.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Print buttons (data-print): the Content-Security-Policy allows no inline handlers, so they are wired up here.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
