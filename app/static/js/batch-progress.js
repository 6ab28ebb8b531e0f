// A certificate batch's page: poll its progress every two seconds until it is done.
(function () {
  var box = document.getElementById("batch-progress");
  if (!box) return;
  var bar = box.querySelector(".progress-bar");
  function show(p) {
    bar.style.width = p.percent + "%";
    bar.textContent = p.percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", p.percent);
    ["done", "total", "issued", "failed"].forEach(function (name) {
      box.querySelector('[data-field="' + name + '"]').textContent = p[name];
    });
    if (p.state !== box.dataset.state) { window.location.reload(); }
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      show(p);
      if (p.state !== "done") { setTimeout(poll, 2000); }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  if (box.dataset.state !== "done") { setTimeout(poll, 2000); }
})();
