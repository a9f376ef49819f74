/* teikit: small progressive enhancements, no dependencies, works from file://.
   - table.sortable: click a th[data-sort] to sort (data-key on cells, else text).
   - input[data-filter="ID"]: filters the rows of table#ID (all words must occur).
   - input[data-search]: searches window.TEIKIT_INDEX ([{u: url, t: title, x: text}]),
     loaded by a <script src="search-index.js">, and lists hits in #search-results.
   - button.copy[data-copy="ID"]: copies the text of #ID. */
(function () {
  "use strict";
  function norm(s) { return (s || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  function words(s) { return norm(s).split(/\s+/).filter(Boolean); }
  function key(cell) { return cell ? (cell.getAttribute("data-key") || cell.textContent.trim()) : ""; }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[aria-sort]").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[idx]), y = key(b.cells[idx]);
          return (asc ? 1 : -1) * x.localeCompare(y, undefined, { numeric: true });
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table) { return; }
    input.addEventListener("input", function () {
      var q = words(input.value);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var t = norm(row.textContent);
        row.classList.toggle("hidden", !q.every(function (w) { return t.indexOf(w) >= 0; }));
      });
    });
  });

  document.querySelectorAll("input[data-search]").forEach(function (input) {
    var out = document.getElementById("search-results");
    var index = window.TEIKIT_INDEX || [];
    input.addEventListener("input", function () {
      var q = words(input.value);
      out.textContent = "";
      if (!q.length) { return; }
      index.filter(function (d) {
        var t = norm(d.t + " " + d.x);
        return q.every(function (w) { return t.indexOf(w) >= 0; });
      }).slice(0, 100).forEach(function (d) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = d.u; a.textContent = d.t; li.appendChild(a); out.appendChild(li);
      });
    });
  });

  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var el = document.getElementById(b.getAttribute("data-copy"));
      if (el && navigator.clipboard) { navigator.clipboard.writeText(el.textContent); }
    });
  });
}());
