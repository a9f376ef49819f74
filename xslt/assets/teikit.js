/* teikit: small progressive enhancements, no dependencies, works from file:// and static hosting.
   - Script errors are written into the page: html[data-js-errors] and <pre id="js-errors">.
   - table.sortable: click a th[data-sort] to sort (data-key on cells, else text).
   - input[data-filter="ID"]: filters the rows of table#ID (every word must occur in the row);
     the count goes to #filter-status. ?filter=WORDS in the URL fills it on load.
   - input[data-search="ID"]: searches window.TEIKIT_INDEX ([{u: url, t: title, d: date,
     y: type, w: " distinct words "}], loaded by <script src="search-index.js">); hits are
     listed in #ID, the count in #search-status. ?q=WORDS in the URL runs a search on load.
   - button.copy[data-copy="ID"]: copies the text of #ID.
   When set up, html[data-js="ready"] (tests read it from the DOM). */
(function () {
  "use strict";
  var root = document.documentElement;

  function report(message) {
    var out = document.getElementById("js-errors");
    if (!out && document.body) {
      out = document.createElement("pre");
      out.id = "js-errors";
      out.className = "js-errors";
      document.body.appendChild(out);
    }
    root.setAttribute("data-js-errors", String(Number(root.getAttribute("data-js-errors") || 0) + 1));
    if (out) { out.textContent += message + "\n"; }
  }
  window.addEventListener("error", function (e) {
    report("Script error: " + (e.message || e) + (e.filename ? " (" + e.filename + ":" + e.lineno + ")" : ""));
  });

  function fold(s) { return (s || "").toLowerCase().normalize("NFKD").replace(/\p{M}/gu, ""); }
  function words(s) { return fold(s).match(/[\p{L}\p{N}]+/gu) || []; }
  function key(cell) { return cell ? (cell.getAttribute("data-key") || cell.textContent.trim()) : ""; }
  function param(name) {
    try { return new URLSearchParams(window.location.search).get(name) || ""; } catch (e) { return ""; }
  }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function setUpSorting(table) {
    each(table.querySelectorAll("th[data-sort]"), function (th) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Sort by this column");
      function sort() {
        var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        each(table.querySelectorAll("th[aria-sort]"), function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          return (asc ? 1 : -1) * key(a.cells[idx]).localeCompare(key(b.cells[idx]), undefined, { numeric: true });
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }

  function setUpFilter(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var status = document.getElementById("filter-status");
    if (!table) { return; }
    function apply() {
      var q = words(input.value), shown = 0, rows = table.tBodies[0].rows;
      each(rows, function (row) {
        var t = " " + words(row.textContent).join(" ");
        var ok = q.every(function (w) { return t.indexOf(" " + w) >= 0; });
        row.classList.toggle("hidden", !ok);
        if (ok) { shown += 1; }
      });
      if (status) { status.textContent = q.length ? shown + " of " + rows.length + " rows" : ""; }
    }
    input.addEventListener("input", apply);
    var initial = param("filter");
    if (initial) { input.value = initial; apply(); }
  }

  function setUpSearch(input) {
    var out = document.getElementById(input.getAttribute("data-search"));
    var status = document.getElementById("search-status");
    var index = window.TEIKIT_INDEX;
    if (!out) { return; }
    if (!Array.isArray(index)) {
      if (status) { status.textContent = "The search index (search-index.js) could not be loaded."; }
      return;
    }
    function run() {
      var q = words(input.value);
      out.textContent = "";
      if (!q.length) { if (status) { status.textContent = ""; } return; }
      var hits = index.filter(function (d) {
        var w = d.w + " " + words(d.t).join(" ") + " ";
        return q.every(function (x) { return w.indexOf(" " + x) >= 0; });
      });
      hits.forEach(function (d) {
        var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("span");
        a.href = d.u; a.textContent = d.t;
        meta.className = "hit-meta";
        meta.textContent = [d.d, (d.y || "").replace(/-/g, " ")].filter(Boolean).join(" · ");
        li.appendChild(a);
        if (meta.textContent) { li.appendChild(document.createTextNode(" ")); li.appendChild(meta); }
        out.appendChild(li);
      });
      if (status) { status.textContent = hits.length + (hits.length === 1 ? " document" : " documents") + " found"; }
    }
    input.addEventListener("input", run);
    if (input.form) {
      input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    }
    var initial = param("q");
    if (initial) { input.value = initial; run(); }
  }

  each(document.querySelectorAll("table.sortable"), setUpSorting);
  each(document.querySelectorAll("input[data-filter]"), setUpFilter);
  each(document.querySelectorAll("input[data-search]"), setUpSearch);
  each(document.querySelectorAll("button.copy[data-copy]"), function (b) {
    b.addEventListener("click", function () {
      var el = document.getElementById(b.getAttribute("data-copy"));
      if (!el) { return; }
      var done = function () { b.classList.add("copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(el.textContent).then(done, function () {});
      } else {
        var range = document.createRange(); range.selectNodeContents(el);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        try { document.execCommand("copy"); done(); } catch (e) { /* selection stays for manual copy */ }
      }
    });
  });
  root.setAttribute("data-js", "ready");
}());
