// Keyboard shortcuts on every signed-in page: "/" search, "n" new lead, "g b" board,
// "g l" leads, "g d" dashboard, "?" this help (#keyboard-help, a <dialog>: Esc closes it and
// focus goes back where it was). Ignored while typing in a field or with a modifier key.
(() => {
  const help = document.getElementById("keyboard-help");
  if (!help) return;
  const link = document.getElementById("shortcuts-link");
  const search = () => document.querySelector("main input[name=q]");
  const go = (url) => { if (url) window.location.assign(url); };
  let opener = null;
  let prefix = false;

  const open = () => {
    if (help.open) return;
    opener = document.activeElement;
    help.showModal();
  };
  help.addEventListener("close", () => {
    if (opener && opener.focus) opener.focus();
    opener = null;
  });
  help.querySelector("[data-close]").addEventListener("click", () => help.close());
  link.hidden = false;
  link.addEventListener("click", (event) => { event.preventDefault(); open(); });

  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const pages = { b: help.dataset.board, l: help.dataset.leads, d: help.dataset.dashboard };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target) || help.open) return;
    const key = event.key;
    if (prefix) {
      prefix = false;
      if (pages[key]) { event.preventDefault(); go(pages[key]); }
      return;
    }
    if (key === "g") { prefix = true; return; }
    if (key === "?") { event.preventDefault(); open(); return; }
    if (key === "n" && help.dataset.new) { event.preventDefault(); go(help.dataset.new); return; }
    if (key === "/") {
      event.preventDefault();
      const field = search();
      if (field) { field.focus(); field.select(); } else { go(help.dataset.leads + "#search"); }
    }
  });

  // arriving from "/" on another page: the list's search field takes the focus
  if (window.location.hash === "#search" && search()) search().focus();
})();
