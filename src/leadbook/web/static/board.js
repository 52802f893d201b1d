// The board's drag and drop (mouse: HTML5; touch: Pointer Events on a card's grip): a card dropped on another column posts #drop-form with the
// column's status (the server picks the life cycle move that reaches it, and the domain
// decides). A column of lost leads asks for the reason first. No build step, no library
// besides htmx, which sends the form and swaps the board.
(() => {
  const form = () => document.getElementById("drop-form");
  let dragged = null;

  // a card taking the focus (after a move htmx focuses the moved card's link) comes wholly
  // into sight: on a phone the strip shows a column at a time, and focus alone may leave
  // the card peeking in at the screen's edge
  document.addEventListener("focusin", (event) => {
    const card = event.target.closest && event.target.closest(".lead-card");
    if (card) card.scrollIntoView({ block: "nearest", inline: "center" });
  });

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".lead-card[draggable]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.number);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".column.drop-here").forEach((c) => c.classList.remove("drop-here"));
    dragged = null;
  });

  document.addEventListener("dragover", (event) => {
    const column = event.target.closest && event.target.closest(".column[data-status-id]");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".column.drop-here").forEach((c) => c !== column && c.classList.remove("drop-here"));
    column.classList.add("drop-here");
  });

  // a card let go over a column posts the drop form (a lost column asks for the reason first)
  const drop = (card, column) => {
    column.classList.remove("drop-here");
    if (card.closest(".column") === column) return;
    const f = form();
    f.elements.number.value = card.dataset.number;
    f.elements.status.value = column.dataset.statusId;
    f.elements.lost_reason.value = "";
    if (column.dataset.state === "LOST") {
      document.getElementById("lost-dialog").showModal();
    } else {
      f.requestSubmit();
    }
  };

  document.addEventListener("drop", (event) => {
    const column = event.target.closest && event.target.closest(".column[data-status-id]");
    if (!column || !dragged) return;
    event.preventDefault();
    drop(dragged, column);
  });

  // touch screens, where HTML5 drag and drop does not fire: a card's grip (touch-action: none)
  // follows the finger with Pointer Events and drops on the column under it, through the
  // same form; near the strip's edge the columns scroll along (the strip's scroll snap is
  // off meanwhile: a phone's mandatory snap pulled each small step back to the column)
  let touch = null;
  const columnAt = (x, y) => {
    const under = document.elementFromPoint(x, y);
    return under && under.closest(".column[data-status-id]");
  };
  const mark = (column) => document.querySelectorAll(".column[data-status-id]").forEach(
    (c) => c.classList.toggle("drop-here", c === column));
  const release = () => {
    touch.card.classList.remove("dragging", "dragging-touch");
    touch.card.closest(".board").classList.remove("touch-dragging");
    touch.card.style.transform = "";
    mark(null);
    touch = null;
  };

  document.addEventListener("pointerdown", (event) => {
    const grip = event.target.closest && event.target.closest(".lead-card[draggable] .grip");
    if (!grip || event.pointerType === "mouse" || touch) return;
    event.preventDefault();
    const card = grip.closest(".lead-card");
    touch = { card, id: event.pointerId, x: event.clientX, y: event.clientY };
    card.classList.add("dragging", "dragging-touch");
    card.closest(".board").classList.add("touch-dragging");
  });

  document.addEventListener("pointermove", (event) => {
    if (!touch || event.pointerId !== touch.id) return;
    event.preventDefault();
    const strip = touch.card.closest(".board");
    const edge = strip.getBoundingClientRect();
    if (event.clientX > edge.right - 24) strip.scrollLeft += 16;
    if (event.clientX < edge.left + 24) strip.scrollLeft -= 16;
    touch.card.style.transform = `translate(${event.clientX - touch.x}px, ${event.clientY - touch.y}px)`;
    mark(columnAt(event.clientX, event.clientY));
  });

  document.addEventListener("pointerup", (event) => {
    if (!touch || event.pointerId !== touch.id) return;
    const card = touch.card;
    const column = columnAt(event.clientX, event.clientY); // before the snap is back on
    release();
    if (column) drop(card, column);
  });

  document.addEventListener("pointercancel", (event) => {
    if (touch && event.pointerId === touch.id) release();
  });

  // the open columns are the address's (a column's Show / Fold swaps the column alone and
  // replaces the address): every board request htmx sends (a move, a drop, a column) and
  // the filters' form carry them, not those the page was first drawn with, so a board drawn
  // again keeps them open
  const opened = () => new URLSearchParams(location.search).getAll("open");
  document.addEventListener("htmx:config:request", (event) => {
    const request = event.detail.ctx.request;
    const url = new URL(request.action, document.baseURI);
    if (!/\/web\/(board|leads\/\d+\/move)/.test(url.pathname)) return;
    url.searchParams.delete("open");
    opened().forEach((id) => url.searchParams.append("open", id));
    request.action = url.pathname + url.search;
  });

  document.addEventListener("submit", (event) => {
    const filters = event.target.closest("form.toolbar");
    if (!filters) return;
    filters.querySelectorAll("input[name=open]").forEach((field) => field.remove());
    opened().forEach((id) => {
      const field = Object.assign(document.createElement("input"), { type: "hidden", name: "open", value: id });
      filters.append(field);
    });
  }, true);

  // the lost reason dialog's "Keep it" (the page's CSP refuses inline handlers)
  document.addEventListener("click", (event) => {
    const keep = event.target.closest && event.target.closest("#lost-dialog [data-close]");
    if (keep) keep.closest("dialog").close();
  });

  document.addEventListener("submit", (event) => {
    if (event.target.id !== "drop-form") return;
    const dialog = document.getElementById("lost-dialog");
    if (dialog.open) dialog.close();
  }, true);
})();
