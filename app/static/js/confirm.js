/* Ask before an irreversible or hurtful one-tap action.
 *
 * A form with data-confirm="question" opens a <dialog> with the question and two buttons
 * (data-confirm-yes / data-confirm-no give their words) instead of submitting; "yes"
 * submits the form. One mechanism for every such button (templates/macros/forms.html,
 * `confirm_attrs`); a static file, no inline script, so a strict Content-Security-Policy holds.
 */
(function () {
  "use strict";

  function dialogFor(form) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("data-testid", "confirm-dialog");
    var text = document.createElement("p");
    text.textContent = form.getAttribute("data-confirm");
    var buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2 justify-content-end";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "btn btn-outline-secondary";
    no.textContent = form.getAttribute("data-confirm-no") || "Cancel";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "btn btn-danger";
    yes.setAttribute("data-testid", "confirm-yes");
    yes.textContent = form.getAttribute("data-confirm-yes") || "OK";
    buttons.append(no, yes);
    dialog.append(text, buttons);
    no.addEventListener("click", function () { dialog.close(); dialog.remove(); });
    yes.addEventListener("click", function () {
      dialog.close();
      dialog.remove();
      form.setAttribute("data-confirmed", "1");
      form.requestSubmit();
    });
    return dialog;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    if (form.getAttribute("data-confirmed") === "1") {
      form.removeAttribute("data-confirmed");
      return;
    }
    event.preventDefault();
    var dialog = dialogFor(form);
    document.body.append(dialog);
    dialog.showModal();
  });
})();
