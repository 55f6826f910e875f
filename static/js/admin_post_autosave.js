// The post's change page: what the editor types (the post's words, the entries' descriptions) is autosaved a few
// seconds after they stop typing (in the draft, for a live post), and leaving the page with changes that are not
// saved asks first. Without JavaScript the page saves as it always has.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("post_form");
  const status = document.querySelector(".autosave-status");
  if (!form || !status) {
    return;
  }
  const url = status.dataset.autosaveUrl;
  const version = form.querySelector("input[name='edit_version']");
  const TEXT = /^(title|subtitle|body|figure_caption|closing|entries-\d+-(description|id))$/;
  const QUIET_MS = 3000;

  function fields() {
    const values = new Map();
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken" && name !== "edit_version" && typeof value === "string") {
        values.set(name, (values.has(name) ? values.get(name) + "\u0000" : "") + value);
      }
    }
    return values;
  }

  // What the server has: the page as loaded, then each autosaved field as it was sent.
  const saved = fields();
  let submitting = false;
  let stopped = false;
  let timer = null;
  let sending = false;
  let waitingSubmit = null;

  function unsaved(names) {
    const now = fields();
    return [...now.keys()].filter((name) => names(name) && now.get(name) !== saved.get(name));
  }

  function say(text) {
    status.textContent = text;
    status.hidden = false;
  }

  async function autosave() {
    timer = null;
    if (!url || submitting || stopped || sending || unsaved((name) => TEXT.test(name)).length === 0) {
      return;
    }
    const sent = new FormData();
    const now = fields();
    for (const [name, value] of now) {
      if (TEXT.test(name)) {
        sent.append(name, value);
      }
    }
    sent.append("edit_version", version.value);
    sent.append("csrfmiddlewaretoken", form.querySelector("input[name='csrfmiddlewaretoken']").value);
    sending = true;
    try {
      const response = await fetch(url, { method: "POST", body: sent, credentials: "same-origin" });
      const answer = await response.json();
      if (response.ok) {
        version.value = String(answer.version);
        for (const [name, value] of now) {
          if (TEXT.test(name)) {
            saved.set(name, value);
          }
        }
        say(answer.status);
      } else {
        say(answer.error);
        stopped = Boolean(answer.stale);
      }
    } catch {
      say("Not autosaved: the site did not answer. Your text is still here.");
    } finally {
      sending = false;
      if (waitingSubmit !== null) {
        // The editor pressed a button while this was on its way: send the form now, with the version it moved to.
        const submitter = waitingSubmit;
        waitingSubmit = null;
        form.requestSubmit(submitter || undefined);
      }
    }
  }

  form.addEventListener("input", () => {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = setTimeout(autosave, QUIET_MS);
  });

  form.addEventListener("submit", (event) => {
    if (sending) {
      event.preventDefault();
      waitingSubmit = event.submitter;
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && unsaved(() => true).length > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
