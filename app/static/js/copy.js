/* A button with data-copy-target="id" copies that field's text, and says so for a moment
 * (data-copied gives the word). A static file, no inline script: the CSP holds. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) { return; }
    field.select();
    var said = button.textContent;
    var done = function () {
      button.textContent = button.getAttribute("data-copied") || said;
      setTimeout(function () { button.textContent = said; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
}());
