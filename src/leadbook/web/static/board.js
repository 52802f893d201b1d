// The board's drag and drop: a card dropped on another column posts #drop-form with the
// column's status (the server picks the life cycle move that reaches it, and the domain
// decides). A column of lost leads asks for the reason first. No build step, no library
// besides htmx, which sends the form and swaps the board.
(() => {
  const form = () => document.getElementById("drop-form");
  let dragged = null;

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

  document.addEventListener("drop", (event) => {
    const column = event.target.closest && event.target.closest(".column[data-status-id]");
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("drop-here");
    if (dragged.closest(".column") === column) return;
    const f = form();
    f.elements.number.value = dragged.dataset.number;
    f.elements.status.value = column.dataset.statusId;
    f.elements.lost_reason.value = "";
    if (column.dataset.state === "LOST") {
      document.getElementById("lost-dialog").showModal();
    } else {
      f.requestSubmit();
    }
  });

  document.addEventListener("submit", (event) => {
    if (event.target.id !== "drop-form") return;
    const dialog = document.getElementById("lost-dialog");
    if (dialog.open) dialog.close();
  }, true);
})();
