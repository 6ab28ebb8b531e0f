/* Behaviour that templates ask for by data attributes, because the Content-Security-Policy
   refuses inline script (no <script> bodies, no onsubmit= / onchange= attributes):

   <form data-confirm="Remove the quota of …?">  asks before submitting; Cancel stops it.
   <select data-autosubmit>                       submits its form when the choice changes. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
})();
