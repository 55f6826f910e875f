// The post page is the same for every reader (caches keep it), so its comment form arrives hidden and
// without a token. This asks for a token for this browser, then shows the form; Reply links then answer
// in place. Without JavaScript, or when no token comes, the links lead to the comment form's own page.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !window.fetch) {
    return;
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function fill(answer) {
    if (!answer.open) {
      return;
    }
    field("token").value = answer.token;
    if (answer.author_name && !field("author_name").value) {
      field("author_name").value = answer.author_name;
      field("author_email").value = answer.author_email;
      field("remember").checked = true;
    }
    if (answer.csrf_token && !field("csrfmiddlewaretoken")) {
      var csrf = document.createElement("input");
      csrf.type = "hidden";
      csrf.name = "csrfmiddlewaretoken";
      csrf.value = answer.csrf_token;
      form.prepend(csrf);
    }
    form.hidden = false;
    document.getElementById("comment-cta").hidden = true;
    enableReplies();
  }

  function enableReplies() {
    var title = document.getElementById("comment-form-title");
    var note = form.querySelector(".replying-to");
    var button = form.querySelector("button[type=submit]");
    var original = { title: title.textContent, button: button.textContent };

    document.querySelectorAll("[data-reply-to]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        field("parent").value = link.dataset.replyTo;
        title.textContent = title.dataset.replyTitle + " " + link.dataset.replyName;
        note.querySelector("[data-reply-link]").href = "#comment-" + link.dataset.replyTo;
        note.hidden = false;
        button.textContent = button.dataset.replyLabel;
        form.scrollIntoView();
        field("body").focus();
      });
    });
    note.querySelector("[data-reply-cancel]").addEventListener("click", function (event) {
      event.preventDefault();
      field("parent").value = "";
      title.textContent = original.title;
      button.textContent = original.button;
      note.hidden = true;
      field("body").focus();
    });
  }

  function fetchToken() {
    fetch(form.dataset.tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("no form token: " + response.status);
        }
        return response.json();
      })
      .then(fill)
      .catch(function () {
        // The "Leave a comment" and Reply links still lead to the form's own page.
      });
  }

  // Nothing to do while the reader is reading the list: ask once the comments come near the screen.
  var comments = document.getElementById("comments");
  if (!("IntersectionObserver" in window)) {
    fetchToken();
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        fetchToken();
      }
    },
    { rootMargin: "600px 0px" }
  );
  observer.observe(comments);
})();
