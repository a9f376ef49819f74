/* teikit: small progressive enhancements, no dependencies, works from file:// and static hosting.
   - Script errors are written into the page: html[data-js-errors] and <pre id="js-errors">.
   - table.sortable: click a th[data-sort] to sort (data-key on cells, else text);
     select[data-sort-table="ID"] (values "COLUMN ascending|descending") sorts table#ID too
     (the way to sort on a phone, where the table is read as cards without headings).
   - input[data-filter="ID"]: filters the rows of table#ID (every word must occur in the row),
     combined with the select[data-facet="NAME"] of the same form (row attribute data-NAME
     must equal the chosen value). The count goes to #filter-status; ?filter=WORDS and
     ?NAME=VALUE (year, type, archive) in the URL fill them on load, and the URL follows
     every change (history.replaceState, where the browser allows it).
   - input[data-search="ID"]: searches window.TEIKIT_INDEX ([{u: url, t: title, d: date,
     y: type, w: " words "}], loaded by <script src="search-index.js">). A query word finds
     the words it begins; documents are ranked by the number of query words they contain,
     then those found in the title, then date. Hits are listed in #ID with a snippet around
     the first hit, read from snippets/<id>.js (loaded on demand, the first MAX_SNIPPETS
     hits); the count goes to #search-status. ?q=WORDS in the URL runs a search on load.
   - details[data-collapse-narrow]: closed on load on a narrow screen (open otherwise, and
     opened for printing).
   - button.copy[data-copy="ID"]: copies the text of #ID.
   When set up, html[data-js="ready"] (tests read it from the DOM). */
(function () {
  "use strict";
  var root = document.documentElement;
  var MAX_SNIPPETS = 30;
  var NARROW = "(max-width: 40rem)";

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
  function params() {
    try { return new URLSearchParams(window.location.search); } catch (e) { return null; }
  }
  function param(name) { var p = params(); return (p && p.get(name)) || ""; }
  function setParams(values) {
    var p = params();
    if (!p || !window.history || !history.replaceState) { return; }
    Object.keys(values).forEach(function (k) { if (values[k]) { p.set(k, values[k]); } else { p.delete(k); } });
    var qs = p.toString();
    try { history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : "") + window.location.hash); } catch (e) { /* file:// in some browsers */ }
  }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* ---- sorting ---- */
  function sortTable(table, th, asc) {
    var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
    each(table.querySelectorAll("th[aria-sort]"), function (o) { o.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      return (asc ? 1 : -1) * key(a.cells[idx]).localeCompare(key(b.cells[idx]), undefined, { numeric: true });
    });
    rows.forEach(function (r) { body.appendChild(r); });
    each(document.querySelectorAll("select[data-sort-table='" + table.id + "']"), function (sel) {
      var v = th.getAttribute("data-sort") + (asc ? " ascending" : " descending");
      if (sel.querySelector("option[value='" + v + "']")) { sel.value = v; }
    });
  }

  function setUpSorting(table) {
    each(table.querySelectorAll("th[data-sort]"), function (th) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Sort by this column");
      function sort() { sortTable(table, th, th.getAttribute("aria-sort") !== "ascending"); }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }

  function setUpSortSelect(sel) {
    var table = document.getElementById(sel.getAttribute("data-sort-table"));
    if (!table) { return; }
    sel.addEventListener("change", function () {
      var parts = sel.value.split(" ");
      var th = table.querySelector("th[data-sort='" + parts[0] + "']");
      if (th) { sortTable(table, th, parts[1] !== "descending"); }
    });
  }

  /* ---- filtering ---- */
  function setUpFilter(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var status = document.getElementById("filter-status");
    if (!table) { return; }
    var facets = input.form ? Array.prototype.slice.call(input.form.querySelectorAll("select[data-facet]")) : [];
    var rows = table.tBodies[0].rows;
    var texts = Array.prototype.map.call(rows, function (row) { return " " + words(row.textContent).join(" "); });
    function apply(updateUrl) {
      var q = words(input.value), shown = 0, active = q.length > 0, url = { filter: input.value.trim() };
      var chosen = facets.map(function (sel) {
        url[sel.name] = sel.value;
        if (sel.value) { active = true; }
        return [sel.getAttribute("data-facet"), sel.value];
      });
      each(rows, function (row, i) {
        var ok = q.every(function (w) { return texts[i].indexOf(" " + w) >= 0; }) &&
          chosen.every(function (f) { return !f[1] || row.getAttribute("data-" + f[0]) === f[1]; });
        row.classList.toggle("hidden", !ok);
        if (ok) { shown += 1; }
      });
      if (status) { status.textContent = active ? shown + " of " + rows.length + " rows" : rows.length + " documents"; }
      if (updateUrl) { setParams(url); }
    }
    input.addEventListener("input", function () { apply(true); });
    facets.forEach(function (sel) { sel.addEventListener("change", function () { apply(true); }); });
    if (input.form) {
      input.form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
    }
    var initial = param("filter"), any = Boolean(initial);
    input.value = initial;
    facets.forEach(function (sel) {
      var v = param(sel.name);
      if (v && sel.querySelector("option[value='" + v.replace(/['\\]/g, "") + "']")) { sel.value = v; any = true; }
    });
    if (any) { apply(false); }
  }

  /* ---- search ---- */
  function loadText(id, done) {
    var texts = window.TEIKIT_TEXTS || {};
    if (Object.prototype.hasOwnProperty.call(texts, id)) { done(texts[id]); return; }
    var s = document.createElement("script");
    s.src = "snippets/" + encodeURIComponent(id) + ".js";
    s.onload = function () { done((window.TEIKIT_TEXTS || {})[id] || ""); };
    s.onerror = function () { done(""); };
    document.head.appendChild(s);
  }

  /* the text around the first word of `text` that a query word begins, with the word marked */
  function snippet(text, q, el) {
    var folded = "", map = [], i, f, best = -1, len = 0;
    for (i = 0; i < text.length; i += 1) {
      f = fold(text[i]);
      for (var j = 0; j < f.length; j += 1) { folded += f[j]; map.push(i); }
    }
    q.forEach(function (w) {
      var re = new RegExp("(^|[^\\p{L}\\p{N}])" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u");
      var m = re.exec(folded);
      if (m) {
        var at = m.index + m[1].length;
        if (best < 0 || at < best) { best = at; len = w.length; }
      }
    });
    if (best < 0) { return false; }
    var start = map[best], end = map[Math.min(best + len, map.length) - 1] + 1;
    while (end < text.length && /[\p{L}\p{N}]/u.test(text[end])) { end += 1; }
    var from = Math.max(0, start - 80), to = Math.min(text.length, end + 120);
    while (from > 0 && text[from - 1] !== " ") { from -= 1; }
    while (to < text.length && text[to] !== " ") { to += 1; }
    el.textContent = "";
    el.appendChild(document.createTextNode((from > 0 ? "…" : "") + text.slice(from, start)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    el.appendChild(mark);
    el.appendChild(document.createTextNode(text.slice(end, to) + (to < text.length ? "…" : "")));
    return true;
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
    var runs = 0;
    function run() {
      var q = words(input.value), run = (runs += 1);
      out.textContent = "";
      if (!q.length) { if (status) { status.textContent = ""; } return; }
      var hits = [];
      index.forEach(function (d) {
        var title = " " + words(d.t).join(" ");
        var w = d.w + title + " ";
        var n = 0, inTitle = 0;
        q.forEach(function (x) {
          if (w.indexOf(" " + x) >= 0) { n += 1; }
          if (title.indexOf(" " + x) >= 0) { inTitle += 1; }
        });
        if (n) { hits.push({ d: d, n: n, t: inTitle }); }
      });
      hits.sort(function (a, b) {
        return (b.n - a.n) || (b.t - a.t) || (a.d.d || "9999").localeCompare(b.d.d || "9999") || a.d.u.localeCompare(b.d.u);
      });
      var all = hits.filter(function (h) { return h.n === q.length; }).length;
      hits.forEach(function (h, i) {
        var d = h.d;
        var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("span");
        a.href = d.u; a.textContent = d.t;
        meta.className = "hit-meta";
        meta.textContent = [d.d, (d.y || "").replace(/-/g, " "),
          q.length > 1 ? h.n + " of " + q.length + " words" : ""].filter(Boolean).join(" · ");
        li.appendChild(a);
        if (meta.textContent) { li.appendChild(document.createTextNode(" ")); li.appendChild(meta); }
        li.setAttribute("data-matched", String(h.n));
        if (i < MAX_SNIPPETS) {
          var p = document.createElement("p");
          p.className = "snippet";
          li.appendChild(p);
          loadText(d.u.replace(/\.html$/, ""), function (text) {
            if (run !== runs) { return; }
            if (!snippet(text, q, p)) { p.remove(); }
          });
        }
        out.appendChild(li);
      });
      if (status) {
        status.textContent = hits.length + (hits.length === 1 ? " document" : " documents") + " found" +
          (q.length > 1 ? "; " + all + " with every word (listed first)" : "");
      }
    }
    input.addEventListener("input", run);
    if (input.form) {
      input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); setParams({ q: input.value.trim() }); });
    }
    var initial = param("q");
    if (initial) { input.value = initial; run(); }
  }

  /* ---- panels ---- */
  var narrow = window.matchMedia && window.matchMedia(NARROW).matches;
  each(document.querySelectorAll("details[data-collapse-narrow]"), function (d) {
    if (narrow && !window.location.hash) { d.open = false; }
  });
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details"), function (d) { d.open = true; });
  });

  each(document.querySelectorAll("table.sortable"), setUpSorting);
  each(document.querySelectorAll("select[data-sort-table]"), setUpSortSelect);
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
