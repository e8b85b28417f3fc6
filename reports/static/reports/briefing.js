/* The briefing's print button. The Content-Security-Policy allows no inline handlers, so it is wired up here. */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
