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
     table[data-facets="month from to corresp"]: URL parameters of those names keep the rows
     whose data-NAME (a space-separated list) holds the value; the links of the timeline,
     network and map use them (?month=1920-06&type=letter, ?from=pers:a&to=pers:b).
   - [data-pagefind-ui="BUNDLE/"]: starts Pagefind's search UI there (pagefind-ui.js, loaded
     by the search page); ?q=WORDS runs a search on load. On file:// pages, where browsers
     do not let Pagefind fetch its index, #search-offline is shown instead.
   - details[data-collapse-narrow]: closed on load on a narrow screen (open otherwise, and
     opened for printing).
   - button.copy[data-copy="ID"]: copies the text of #ID.
   When set up, html[data-js="ready"] (tests read it from the DOM). */
(function () {
  "use strict";
  var root = document.documentElement;
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
  window.addEventListener("unhandledrejection", function (e) {
    report("Script error: " + ((e.reason && e.reason.message) || e.reason));
  });
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
    /* facets given in the URL only (the links of the timeline, network and map) */
    var linked = (table.getAttribute("data-facets") || "").split(" ").filter(Boolean).map(function (name) {
      return [name, param(name)];
    }).filter(function (f) { return f[1]; });
    var rows = table.tBodies[0].rows;
    var texts = Array.prototype.map.call(rows, function (row) { return " " + words(row.textContent).join(" "); });
    function apply(updateUrl) {
      var q = words(input.value), shown = 0, active = q.length > 0 || linked.length > 0, url = { filter: input.value.trim() };
      var chosen = facets.map(function (sel) {
        url[sel.name] = sel.value;
        if (sel.value) { active = true; }
        return [sel.getAttribute("data-facet"), sel.value];
      });
      each(rows, function (row, i) {
        var ok = q.every(function (w) { return texts[i].indexOf(" " + w) >= 0; }) &&
          chosen.every(function (f) { return !f[1] || row.getAttribute("data-" + f[0]) === f[1]; }) &&
          linked.every(function (f) { return (" " + (row.getAttribute("data-" + f[0]) || "") + " ").indexOf(" " + f[1] + " ") >= 0; });
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
    var initial = param("filter"), any = Boolean(initial) || linked.length > 0;
    input.value = initial;
    if (linked.length) { showLinked(table, linked); }
    facets.forEach(function (sel) {
      var v = param(sel.name);
      if (v && sel.querySelector("option[value='" + v.replace(/['\\]/g, "") + "']")) { sel.value = v; any = true; }
    });
    if (any) { apply(false); }
  }

  /* the URL-only facets in force, said above the table, with a link that drops them */
  function showLinked(table, linked) {
    var labels = { month: "of", from: "from", to: "to", corresp: "sent or received by" };
    var note = document.createElement("p");
    note.className = "linked-filter";
    note.id = "linked-filter";
    /* ?label= (set by the overview pages' links) names the filter as a reader would */
    note.textContent = "Only documents " + (param("label") || linked.map(function (f) {
      return (labels[f[0]] || f[0]) + " " + f[1].replace(/^[a-z]+:/, "").replace(/-/g, " ");
    }).join(" ")) + ". ";
    var all = document.createElement("a");
    all.href = window.location.pathname.replace(/^.*\//, "") || "index.html";
    all.textContent = "Show all documents";
    note.appendChild(all);
    table.parentNode.insertBefore(note, table);
  }

  /* ---- search (Pagefind) ---- */
  function setUpPagefind(el) {
    var offline = document.getElementById("search-offline");
    if (window.location.protocol === "file:" || typeof window.PagefindUI !== "function") {
      if (offline) { offline.hidden = false; }
      el.hidden = true;
      return;
    }
    /* result URLs are relative to the folder of this page, wherever the site is served */
    var base = window.location.pathname.replace(/[^\/]*$/, "");
    var bundle = new URL(el.getAttribute("data-pagefind-ui"), window.location.href).pathname;
    var ui = new window.PagefindUI({ element: "#" + el.id, bundlePath: bundle,
      baseUrl: base, showImages: false, showSubResults: false, resetStyles: false,
      openFilters: ["year", "type"], autofocus: !param("q") });
    var initial = param("q");
    if (initial) { ui.triggerSearch(initial); }
    el.addEventListener("input", function (e) {
      if (e.target && (e.target.type === "text" || e.target.type === "search")) { setParams({ q: e.target.value.trim() }); }
    });
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
  each(document.querySelectorAll("[data-pagefind-ui]"), setUpPagefind);
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
