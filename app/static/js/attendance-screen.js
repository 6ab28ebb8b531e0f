// The check-in screen (trainings/attendance/screen.html): every window, ask for the next
// code and show it, with the counts. On a failed request, try again at the next window;
// after three in a row, reload the page (a new session cookie, a restarted server).
(function () {
  "use strict";
  var screen = document.querySelector("[data-testid=screen]");
  if (!screen) { return; }
  var source = screen.getAttribute("data-source");
  var seconds = Math.max(5, parseInt(screen.getAttribute("data-refresh"), 10) || 30);
  var image = screen.querySelector("[data-testid=screen-code]");
  var link = screen.querySelector("[data-testid=screen-link]");
  var message = screen.querySelector("[data-testid=screen-message]");
  var counts = screen.querySelector("[data-testid=screen-counts]");
  var words = screen.getAttribute("data-counts");
  var failures = 0;

  function show(code) {
    message.textContent = code.message;
    if (code.image) {
      image.src = code.image;
      link.href = code.link;
      link.textContent = code.link;
    }
    image.classList.toggle("d-none", !code.image);
    link.classList.toggle("d-none", !code.link);
    counts.textContent = words.replace("{present}", code.present).replace("{enrolled}", code.enrolled);
  }

  function next() {
    fetch(source, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (answer) {
        if (!answer.ok) { throw new Error(answer.status); }
        return answer.json();
      })
      .then(function (code) { failures = 0; show(code); })
      .catch(function () {
        failures += 1;
        if (failures >= 3) { window.location.reload(); }
      })
      .finally(function () { window.setTimeout(next, seconds * 1000); });
  }
  window.setTimeout(next, seconds * 1000);
}());
