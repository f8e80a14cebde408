/* pmctl site: the catalogue's filters and sorting. Without JavaScript the full table shows. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("catalogue");
  if (!form || !table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var sorter = form.querySelector("select[data-sort]");
  var orders = {
    newest: function (a, b) { return cmp(b.dataset.date + b.dataset.id, a.dataset.date + a.dataset.id); },
    oldest: function (a, b) { return cmp(a.dataset.date + a.dataset.id, b.dataset.date + b.dataset.id); },
    severity: function (a, b) {
      return (Number(a.dataset.rank) - Number(b.dataset.rank)) || orders.newest(a, b);
    },
    title: function (a, b) { return a.cells[1].textContent.localeCompare(b.cells[1].textContent); }
  };

  function cmp(a, b) { return a < b ? -1 : (a > b ? 1 : 0); }

  function apply() {
    var wanted = {};
    var hash = [];
    selects.forEach(function (select) {
      if (select.value) {
        wanted[select.name] = select.value;
        hash.push(encodeURIComponent(select.name) + "=" + encodeURIComponent(select.value));
      }
    });
    if (sorter.value !== "newest") { hash.push("sort=" + encodeURIComponent(sorter.value)); }
    var count = 0;
    rows.forEach(function (row) {
      var keep = Object.keys(wanted).every(function (name) {
        return (row.dataset[name] || "").split("\n").indexOf(wanted[name]) >= 0;
      });
      row.hidden = !keep;
      if (keep) { count += 1; }
    });
    rows.slice().sort(orders[sorter.value] || orders.newest).forEach(function (row) {
      body.appendChild(row);
    });
    shown.textContent = shown.dataset.template.replace("{n}", String(count));
    history.replaceState(null, "", hash.length ? "#" + hash.join("&") : location.pathname + location.search);
  }

  // A filtered view is a link: catalogue.html#severity=SEV1&service=checkout
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var pair = part.split("=");
    var select = form.querySelector("select[name='" + decodeURIComponent(pair[0] || "") + "']");
    if (select && pair.length === 2) { select.value = decodeURIComponent(pair[1]); }
  });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
