/* Kurukan: the few behaviours htmx does not give. Loaded as a file (the CSP allows no inline script). */
(function () {
  "use strict";

  // A form sent back with errors: move focus to the first field in error, so a keyboard or screen-reader
  // user lands on the message instead of believing the form was saved.
  function focusFirstError(root) {
    var field = root.querySelector("[aria-invalid=true]");
    if (!field) {
      var message = root.querySelector(".error");
      if (!message) return;
      message.setAttribute("tabindex", "-1");
      field = message;
    }
    field.focus();
    if (field.scrollIntoView) field.scrollIntoView({ block: "center" });
  }

  // On a phone the list's filters fold behind a "Filtres" button (which shows how many are active), so
  // the results come first. Without JavaScript the filters simply stay open.
  function foldFilters() {
    var toggle = document.querySelector(".filters-toggle");
    var panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    toggle.hidden = false;
    function show(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("folded", !open);
    }
    show(!window.matchMedia("(max-width: 700px)").matches);
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
  }

  // Quick exit: blank the page, sign out in the background and replace the page (no Back to it).
  function quickExit() {
    var form = document.querySelector("form.quick-exit");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      var neutral = form.getAttribute("data-neutral");
      var gone = false;
      function leave() {
        if (gone) return;
        gone = true;
        window.location.replace(neutral);
      }
      // Nothing stays on screen while the sign-out travels; the page is replaced once the server has
      // ended the session, or after a second and a half whatever happens.
      document.title = "";
      document.body.innerHTML = "";
      window.setTimeout(leave, 1500);
      try {
        fetch(form.action, {
          method: "POST",
          credentials: "same-origin",
          keepalive: true,
          headers: { "X-CSRFToken": token ? token.value : "" },
        }).then(leave, leave);
      } catch (e) {
        leave();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    quickExit();
    foldFilters();
    focusFirstError(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status === 422) focusFirstError(event.detail.target || document);
  });
  // Any other failed request (403, 500, lost connection): say so in the page instead of doing nothing.
  function announceFailure(event) {
    var live = document.getElementById("request-error");
    if (!live) return;
    live.textContent = live.getAttribute("data-message");
    live.hidden = false;
  }
  document.addEventListener("htmx:responseError", announceFailure);
  document.addEventListener("htmx:sendError", announceFailure);
  document.addEventListener("htmx:beforeRequest", function () {
    var live = document.getElementById("request-error");
    if (live) live.hidden = true;
  });

})();
