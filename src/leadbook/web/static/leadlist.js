// The lead list's "select all on this page": ticks or unticks every row's checkbox, and
// is unticked when a row is (without JavaScript the box alone stands for every row of
// the page: its value lists their numbers). No build step, no library.
(() => {
  const all = () => document.getElementById("select-page");
  const rows = () => document.querySelectorAll('input[name="numbers"][form="bulk-form"]');

  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box === all()) {
      rows().forEach((row) => { row.checked = box.checked; });
    } else if (box.matches && box.matches('input[name="numbers"][form="bulk-form"]') && !box.checked && all()) {
      all().checked = false;
    }
  });
})();
