/* Behaviour that templates ask for by data attributes, because the Content-Security-Policy
   refuses inline script (no <script> bodies, no onsubmit= / onchange= attributes):

   <select data-autosubmit>   submits its form when the choice changes.
   (Asking before a form submits, data-confirm, is confirm.js.) */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
})();
