/* Unit boxes: every <input data-unit-picker="/orgs/lookup"> suggests member units while
   someone types, from a <datalist> this script fills from that address. The browser shows
   the list natively, so arrow keys, Enter and phone keyboards work as in any other field.

   Nothing depends on this script: the server finds the unit from the text alone (its name
   or credit code), so without JavaScript the box is a plain text box that still works. */
(function () {
  "use strict";

  var WAIT_MS = 250;      // after the last keystroke, so typing a name asks once, not per character
  var MIN_CHARS = 2;      // the server suggests nothing for less
  var KEPT_ANSWERS = 50;  // answers remembered per box, for backspacing and retyping
  var boxes = 0;

  function attach(input) {
    var url = input.getAttribute("data-unit-picker");
    if (!url || input.getAttribute("list")) {
      return;
    }
    boxes += 1;
    var list = document.createElement("datalist");
    list.id = "unit-picker-" + boxes;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);

    var timer = null;
    var pending = null;
    var answers = new Map();

    function show(units) {
      var options = units.map(function (unit) {
        var option = document.createElement("option");
        option.value = unit.name;
        option.label = unit.credit_code;
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    function remember(query, units) {
      if (answers.size >= KEPT_ANSWERS) {
        answers.delete(answers.keys().next().value);
      }
      answers.set(query, units);
    }

    function ask(query) {
      if (answers.has(query)) {
        show(answers.get(query));
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (units) {
        if (!Array.isArray(units)) {
          return;
        }
        remember(query, units);
        if (input.value.trim() === query) {  // not an answer to what was typed before
          show(units);
        }
      }).catch(function () {
        // offline or aborted: the box goes on as a plain text box
      });
    }

    function picked(value) {
      return Array.prototype.some.call(list.options, function (option) {
        return option.value === value;
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (picked(input.value)) {
        return;  // a suggestion was chosen: nothing more to ask
      }
      if (query.length < MIN_CHARS) {
        show([]);
        return;
      }
      timer = window.setTimeout(function () { ask(query); }, WAIT_MS);
    });
  }

  function attachAll() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-unit-picker]"), attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
}());
