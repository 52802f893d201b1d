// The contact picker's suggestions (WAI-ARIA combobox with a listbox): htmx fills the list
// as the user types; here the list is shown, walked with the arrow keys, picked with Enter
// or a click (the option's text goes into the input), closed with Escape. Without
// JavaScript the input is plain text and the server finds the contact it names.
(() => {
  const inputOf = (list) => document.querySelector(`[role=combobox][aria-controls="${list.id}"]`);
  const optionsOf = (list) => [...list.querySelectorAll("[role=option][data-value]")];

  const close = (input) => {
    const list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const activate = (input, list, option) => {
    optionsOf(list).forEach((o) => o.setAttribute("aria-selected", o === option ? "true" : "false"));
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  const pick = (input, option) => {
    input.value = option.dataset.value;
    close(input);
    input.focus();
  };

  // htmx fires its swap event on the element that asked (the input); htmx 4 and 2 names
  const swapped = (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("[role=combobox]")) return;
    const list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    const open = list.children.length > 0 && document.activeElement === input;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  };
  document.addEventListener("htmx:after:swap", swapped);
  document.addEventListener("htmx:afterSwap", swapped);

  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("[role=combobox]")) return;
    const list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list || list.hidden) return;
    const options = optionsOf(list);
    const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      activate(input, list, options[(current + step + options.length) % options.length]);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault(); // picks; the form is sent by the next Enter
      pick(input, options[current]);
    } else if (event.key === "Escape") {
      close(input);
    }
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest && event.target.closest("[role=listbox] [role=option][data-value]");
    const list = option && option.closest("[role=listbox]");
    if (option) pick(inputOf(list), option);
    document.querySelectorAll("[role=combobox][aria-expanded=true]").forEach((input) => {
      if (!input.parentElement.contains(event.target)) close(input);
    });
  });
})();
