/* The judge's tablet page (scoring/sheet.html): keyboard-first marks that survive a lost network.
 *
 * Every mark typed is put in a queue kept in localStorage, each with a client-made id, and sent
 * to the sheet's address (a form field holding JSON) (the server stores an id once: a resend is "unchanged"). What
 * cannot be sent (offline, a busy server) stays in the queue and goes again when the browser is
 * back online, every 15 s, and when the page is opened again. A refusal (the sheet is locked, a
 * mark off the scale) is shown to the judge in the server's words and leaves the queue.
 * Screens switch in the page, so a judge can go on marking while offline. Enter moves to the
 * next mark. No inline script: the Content-Security-Policy forbids it.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-marks-sheet]");
  if (!form) { return; }
  var csrf = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var url = form.getAttribute("action").split("?")[0];
  var storeKey = "jiyi.marks:" + url;
  var statusBox = document.querySelector("[data-testid=sync-status]");
  var refusalBox = document.querySelector("[data-testid=refusals]");
  var reasonInput = form.querySelector("[data-marks-reason]");
  var NUMBER = /^-?[0-9]{1,9}([.,][0-9]{1,6})?$/;
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(queue) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(queue)); } catch (e) { /* full: kept in memory */ }
    memory = queue;
  }
  var memory = load();

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function cellOf(entry) { return entry.registration_id + ":" + entry.aspect_id + ":" + entry.attempt; }

  function say(text) {
    if (!statusBox) { return; }
    statusBox.textContent = text;
    statusBox.hidden = !text;
  }

  function refuse(problems) {
    if (!refusalBox) { return; }
    refusalBox.textContent = "";
    problems.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      refusalBox.appendChild(line);
    });
    refusalBox.hidden = problems.length === 0;
  }

  function inputFor(entry) {
    return form.querySelector("input[data-registration='" + entry.registration_id + "'][data-aspect='" +
                              entry.aspect_id + "'][data-attempt='" + entry.attempt + "']");
  }

  function queueInput(input) {
    var text = input.value.trim();
    if (input.disabled || text === "" || text === (input.dataset.sent || input.defaultValue)) { return true; }
    if (!NUMBER.test(text)) {
      input.classList.add("is-invalid");
      refuse([form.getAttribute("data-word-number")]);
      return false;
    }
    input.classList.remove("is-invalid");
    var entry = {client_id: newId(), registration_id: Number(input.dataset.registration),
                 aspect_id: Number(input.dataset.aspect), attempt: Number(input.dataset.attempt),
                 value: text.replace(",", "."), reason: reasonInput ? reasonInput.value : null};
    var queue = memory.filter(function (other) { return cellOf(other) !== cellOf(entry); });
    queue.push(entry);
    save(queue);
    return true;
  }

  function post(batch) {
    var body = new URLSearchParams();
    body.set("csrf_token", csrf);
    body.set("queue", JSON.stringify({marks: batch}));
    return fetch(url, {method: "POST", credentials: "same-origin", headers: {"Accept": "application/json"}, body: body});
  }

  function forget(batch) {
    var ids = {};
    batch.forEach(function (entry) { ids[entry.client_id] = true; });
    save(memory.filter(function (entry) { return !ids[entry.client_id]; }));
  }

  function stored(batch) {
    batch.forEach(function (entry) {
      var input = inputFor(entry);
      if (input) { input.dataset.sent = entry.value; input.classList.remove("is-invalid"); }
    });
    forget(batch);
  }

  function report() {
    if (memory.length) {
      say(form.getAttribute("data-word-waiting").replace("{n}", String(memory.length)));
    } else {
      say(form.getAttribute("data-word-saved"));
    }
  }

  // Send the queue; a refused batch of several goes again one by one, so one bad mark
  // does not hold back the others.
  function flush() {
    if (sending || !memory.length) { report(); return Promise.resolve(); }
    sending = true;
    say(form.getAttribute("data-word-sending"));
    var batch = memory.slice();
    var refused = [];
    function send(part) {
      return post(part).then(function (response) {
        if (response.ok) { stored(part); return null; }
        if (response.status === 409 || response.status === 422 || response.status === 404) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            if (part.length > 1) {
              return part.reduce(function (chain, entry) {
                return chain.then(function () { return send([entry]); });
              }, Promise.resolve());
            }
            var error = body.error || {};
            refused = refused.concat(error.problems && error.problems.length ? error.problems : [error.message || ""]);
            var input = inputFor(part[0]);
            if (input) { input.classList.add("is-invalid"); }
            forget(part);
            return null;
          });
        }
        return null;  // busy or an error of the server: kept, tried again later
      });
    }
    var offline = false;
    return send(batch).catch(function () { offline = true; /* kept, sent when back online */ }).then(function () {
      sending = false;
      refuse(refused);
      report();
      var sentIds = {};
      batch.forEach(function (entry) { sentIds[entry.client_id] = true; });
      if (!offline && memory.some(function (entry) { return !sentIds[entry.client_id]; })) { flush(); }
    });
  }

  function show(index) {
    var screens = form.querySelectorAll("section[data-screen]");
    if (!screens.length) { return; }
    index = Math.max(0, Math.min(index, screens.length - 1));
    screens.forEach(function (section) { section.hidden = Number(section.dataset.screen) !== index; });
    var jump = document.querySelector("[data-marks-jump]");
    if (jump) { jump.value = String(index); }
    form.setAttribute("action", url + "?screen=" + index);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + "?screen=" + index);
    }
    var first = screens[index].querySelector("input[data-aspect]:not([disabled])");
    if (first) { first.focus(); }
  }

  function queueScreen(section) {
    var fine = true;
    section.querySelectorAll("input[data-aspect]").forEach(function (input) { fine = queueInput(input) && fine; });
    return fine;
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[data-aspect]")) { queueInput(event.target); flush(); }
  });

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("input[data-aspect]")) { return; }
    event.preventDefault();
    var section = event.target.closest("section");
    var inputs = Array.prototype.slice.call(section.querySelectorAll("input[data-aspect]:not([disabled])"));
    var next = inputs[inputs.indexOf(event.target) + 1];
    if (next) { queueInput(event.target); flush(); next.focus(); next.select(); return; }
    var button = section.querySelector("[data-marks-next]") || section.querySelector("button[type=submit]");
    if (button) { button.click(); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    var section = submitter ? submitter.closest("section") : form.querySelector("section:not([hidden])");
    var fine = section ? queueScreen(section) : true;
    flush();
    if (fine && submitter && submitter.dataset.marksNext) { show(Number(submitter.dataset.marksNext)); }
  });

  document.querySelectorAll("[data-marks-go]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); show(Number(link.dataset.marksGo)); });
  });
  var jump = document.querySelector("[data-marks-jump]");
  if (jump) {
    jump.addEventListener("change", function () { show(Number(jump.value)); });
    jump.form.addEventListener("submit", function (event) { event.preventDefault(); show(Number(jump.value)); });
  }

  var handIn = document.querySelector("[data-testid=submit-sheet]");
  if (handIn) {
    handIn.form.addEventListener("submit", function (event) {
      if (memory.length) {
        event.preventDefault();
        event.stopImmediatePropagation();
        flush();
      }
    }, true);
  }

  // Marks kept from an earlier visit: show them in their inputs, then send them.
  memory.forEach(function (entry) {
    var input = inputFor(entry);
    if (input) { input.value = entry.value; }
  });
  window.addEventListener("online", flush);
  window.setInterval(function () { if (memory.length) { flush(); } }, 15000);
  if (memory.length) { flush(); }
})();
