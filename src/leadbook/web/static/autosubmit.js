// A <select data-autosubmit> sends its form as soon as it changes (the pages' content
// security policy forbids inline handlers such as onchange="…"); without JavaScript the
// form's own button sends it.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-autosubmit]") && field.form) field.form.requestSubmit();
});
