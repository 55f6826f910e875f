// The post admin's ranked list: reorder entries by dragging (or with Move up / Move down), which renumbers
// their ranks in order; and follow a fetch from GitHub in the "GitHub today" lines until it is done.
// Without JavaScript the rank numbers do the same, and a reload shows the fetch.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const group = document.getElementById("entries-group");
  if (!group) {
    return;
  }

  function entries() {
    return Array.from(group.querySelectorAll(".inline-related:not(.empty-form)"));
  }

  // Only saved entries move: Django numbers the forms by their order on the page when an added one is
  // removed, and an added form must stay after the saved ones. Added entries take a rank number (or the
  // end) and move once saved.
  function savedEntries() {
    return entries().filter((entry) => entry.classList.contains("has_original"));
  }

  function isKept(entry) {
    const library = entry.querySelector("select[name$='-library']");
    const remove = entry.querySelector("input[name$='-DELETE']");
    return library && library.value && !(remove && remove.checked);
  }

  function renumber() {
    let rank = 0;
    for (const entry of entries()) {
      const input = entry.querySelector("input.entry-rank");
      if (input && isKept(entry)) {
        rank += 1;
        input.value = String(rank);
      }
    }
  }

  function move(entry, offset) {
    const list = savedEntries();
    const target = list[list.indexOf(entry) + offset];
    if (!target) {
      return;
    }
    target.insertAdjacentElement(offset < 0 ? "beforebegin" : "afterend", entry);
    renumber();
  }

  let dragged = null;

  function equip(entry) {
    if (entry.querySelector(".entry-mover") || !entry.classList.contains("has_original")) {
      return;
    }
    const mover = document.createElement("span");
    mover.className = "entry-mover";
    const handle = document.createElement("span");
    handle.className = "entry-drag";
    handle.draggable = true;
    handle.title = "Drag to reorder";
    handle.textContent = "⠿ drag";
    const up = document.createElement("button");
    up.type = "button";
    up.textContent = "Move up";
    up.addEventListener("click", () => move(entry, -1));
    const down = document.createElement("button");
    down.type = "button";
    down.textContent = "Move down";
    down.addEventListener("click", () => move(entry, 1));
    mover.append(handle, up, down);
    (entry.querySelector("h3") || entry).append(mover);

    handle.addEventListener("dragstart", (event) => {
      dragged = entry;
      entry.classList.add("is-dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("application/x-ranked-entry", entry.id);
    });
    handle.addEventListener("dragend", () => {
      entry.classList.remove("is-dragged");
      dragged = null;
    });
    entry.addEventListener("drop", (event) => {
      if (!dragged || dragged === entry) {
        return;
      }
      const box = entry.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      entry.insertAdjacentElement(after ? "afterend" : "beforebegin", dragged);
      renumber();
    });
  }

  // django-markdownx sets up the editors on the page as it loads; an entry added afterwards is a copy of the
  // hidden template without markdownx's listeners, so its preview is asked for here, as markdownx would.
  function previewAsTyped(entry) {
    const editor = entry.querySelector("textarea.markdownx-editor");
    const preview = entry.querySelector(".markdownx-preview");
    if (!editor || !preview) {
      return;
    }
    let timer = null;
    editor.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const body = new FormData();
        body.append("content", editor.value);
        const token = document.querySelector("[name=csrfmiddlewaretoken]");
        fetch(editor.dataset.markdownxUrlsPath, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: token ? { "X-CSRFToken": token.value } : {},
        })
          .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
          .then((html) => {
            preview.innerHTML = html; // the server's rendering, sanitized there as on the page
          })
          .catch(() => {});
      }, 500);
    });
  }

  // While an entry is dragged, the page takes every drop itself: none lands as text in a field.
  for (const type of ["dragover", "drop"]) {
    document.addEventListener(type, (event) => {
      if (dragged) {
        event.preventDefault();
      }
    });
  }

  entries().forEach(equip);
  document.addEventListener("formset:added", (event) => {
    if (event.target && event.target.classList && event.target.classList.contains("inline-related")) {
      previewAsTyped(event.target);
    }
  });

  // Follow a fetch of new libraries' figures.
  const figuresUrl = new URL("../figures-today/", window.location.href);
  let waits = 0;

  function follow() {
    if (!group.querySelector(".figures-today[data-fetching]") || waits > 150) {
      return;
    }
    waits += 1;
    fetch(figuresUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((answer) => {
        for (const line of group.querySelectorAll(".figures-today[data-entry]")) {
          const state = answer.entries[line.dataset.entry];
          if (!state) {
            continue;
          }
          line.textContent = state.text;
          line.toggleAttribute("data-fetching", state.fetching);
        }
      })
      .catch(() => {})
      .finally(() => window.setTimeout(follow, 2000));
  }

  window.setTimeout(follow, 1000);
});
