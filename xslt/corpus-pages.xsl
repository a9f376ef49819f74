<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit: the corpus-level pages of the edition site (XSLT 1.0), from a teiCorpus whose
  members are present in the tree (XIncludes expanded by the caller, e.g. teikit.transform.site),
  registries (TEI files whose body holds listPerson / listPlace / listOrg) among them.

  One run renders every page: the caller appends to the teiCorpus a list of the pages it
  wants, <tk:pages xmlns:tk="urn:x-teikit:site"><tk:page href="year-1920.html" kind="year"
  key="1920"/>...</tk:pages>, and the result is <site-pages><site-page href="..."><html>...
  </html></site-page>...</site-pages>, one html tree per page, in that order (with
  <tk:pages rows="refs">, the document rows once, after them: see doc-row). Without that list
  the result is the one page $page-kind / $page-key (parameters declared in common.xsl).
  The keys of the corpus (by year, type, ref) are built once for all the pages.

  Page kinds and keys:
    index            all documents: date, type, title, from → to, place; filter, sort, search
    years  | year    documents by year (key '1920')
    types  | type    documents by type (key 'letter')
    persons| person  registry persons, each with their documents in date order (key = xml:id)
    places | place   registry places  (key = xml:id)
    orgs   | org     registry organisations (key = xml:id)
    about            "About this edition": the teiCorpus header and $downloads
    search           full-text search (Pagefind, in pagefind/; needs the site served over HTTP)
    timeline | network | map   the corpus at a glance: the page shell with an empty
                     div[@data-glance], which the caller fills with its SVG and lists
  Links: a document is '{@xml:id}.html', an entity 'pers-{id}.html' / 'place-{id}.html' /
  'org-{id}.html' (the names tei-to-html.xsl gives prefixed @ref values 'pers:id'), all in
  one folder with the pages.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:x-teikit:site"
  xmlns:exsl="http://exslt.org/common"
  exclude-result-prefixes="tei tk exsl">

  <xsl:import href="common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <!-- heading of the about page's section on the compilation (and what it was translated
       from): the corpus configuration gives it (site.source_heading); this is the neutral default -->
  <xsl:param name="source-heading" select="'The compilation'"/>

  <!-- the pages number no notes or divisions: common.xsl's table of them is not built here
       (every global variable is evaluated in every run, used or not) -->
  <xsl:variable name="numbers-rtf"/>

  <!-- documents: members that are not registries -->
  <xsl:variable name="docs" select="/tei:teiCorpus//tei:TEI[not(tei:text/tei:body/tei:listPerson | tei:text/tei:body/tei:listPlace | tei:text/tei:body/tei:listOrg)]"/>
  <!-- dated or typed documents are listed; the others (front and back matter) apart -->
  <xsl:variable name="listed" select="$docs[tei:teiHeader/tei:profileDesc/tei:creation/tei:date or tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef or tei:teiHeader/tei:profileDesc/tei:correspDesc]"/>
  <xsl:variable name="persons" select="/tei:teiCorpus//tei:TEI/tei:text/tei:body/tei:listPerson//tei:person[@xml:id]"/>
  <xsl:variable name="places" select="/tei:teiCorpus//tei:TEI/tei:text/tei:body/tei:listPlace//tei:place[@xml:id]"/>
  <xsl:variable name="orgs" select="/tei:teiCorpus//tei:TEI/tei:text/tei:body/tei:listOrg//tei:org[@xml:id]"/>

  <!-- every element with a prefixed @ref, by that ref ('pers:chicherin') -->
  <xsl:key name="by-ref" match="@ref" use="normalize-space(.)"/>
  <!-- listed documents (see $listed) by the year of their date, and by type: the keys hold
       listed documents only, so no page intersects a key with $listed (quadratic) -->
  <xsl:key name="by-year" match="tei:TEI[not(tei:text/tei:body/tei:listPerson | tei:text/tei:body/tei:listPlace | tei:text/tei:body/tei:listOrg)][tei:teiHeader/tei:profileDesc/tei:creation/tei:date or tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef or tei:teiHeader/tei:profileDesc/tei:correspDesc]" use="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
  <xsl:key name="by-type" match="tei:TEI[not(tei:text/tei:body/tei:listPerson | tei:text/tei:body/tei:listPlace | tei:text/tei:body/tei:listOrg)][tei:teiHeader/tei:profileDesc/tei:creation/tei:date or tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef or tei:teiHeader/tei:profileDesc/tei:correspDesc]" use="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>

  <!-- ===================== pages ===================== -->
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="/*/tk:pages">
        <site-pages>
          <xsl:for-each select="/*/tk:pages/tk:page">
            <site-page href="{@href}">
              <xsl:variable name="kind" select="string(@kind)"/>
              <xsl:variable name="key" select="string(@key)"/>
              <xsl:for-each select="/">
                <xsl:call-template name="page">
                  <xsl:with-param name="page-kind" select="$kind"/>
                  <xsl:with-param name="page-key" select="$key"/>
                </xsl:call-template>
              </xsl:for-each>
            </site-page>
          </xsl:for-each>
          <xsl:if test="$row-refs"><site-rows><xsl:copy-of select="$rows/row"/></site-rows></xsl:if>
        </site-pages>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="page">
          <xsl:with-param name="page-kind" select="$page-kind"/>
          <xsl:with-param name="page-key" select="$page-key"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== page shell ===================== -->
  <xsl:template name="page">
    <xsl:param name="page-kind"/>
    <xsl:param name="page-key"/>
    <xsl:variable name="corpus-name">
      <xsl:choose>
        <xsl:when test="$corpus-title != ''"><xsl:value-of select="$corpus-title"/></xsl:when>
        <xsl:otherwise><xsl:for-each select="*[1]"><xsl:call-template name="meta-title"/></xsl:for-each></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="heading">
      <xsl:call-template name="page-heading">
        <xsl:with-param name="page-kind" select="$page-kind"/>
        <xsl:with-param name="page-key" select="$page-key"/>
      </xsl:call-template>
    </xsl:variable>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="$heading"/>
          <xsl:if test="$heading != $corpus-name"><xsl:value-of select="concat(' — ', $corpus-name)"/></xsl:if>
        </title>
        <link rel="stylesheet" href="{$assets-href}teikit.css"/>
        <xsl:if test="$page-kind = 'search'">
          <link rel="stylesheet" href="pagefind/pagefind-ui.css"/>
          <script src="pagefind/pagefind-ui.js" defer="defer"></script>
        </xsl:if>
        <script src="{$assets-href}teikit.js" defer="defer"></script>
      </head>
      <body class="corpus-page page-{$page-kind}">
        <a class="skip" href="#main">Skip to content</a>
        <header class="site"><a href="index.html"><xsl:value-of select="$corpus-name"/></a></header>
        <nav class="site-nav" aria-label="Browse">
          <ul>
            <li><a href="index.html">Documents</a></li>
            <li><a href="search.html">Search</a></li>
            <li><a href="timeline.html">Timeline</a></li>
            <li><a href="network.html">Correspondents</a></li>
            <li><a href="map.html">Map</a></li>
            <li><a href="years.html">Years</a></li>
            <li><a href="types.html">Types</a></li>
            <li><a href="persons.html">Persons</a></li>
            <li><a href="places.html">Places</a></li>
            <li><a href="orgs.html">Organisations</a></li>
            <li><a href="about.html">About</a></li>
          </ul>
        </nav>
        <main id="main">
          <h1><xsl:value-of select="$heading"/></h1>
          <xsl:call-template name="page-body">
            <xsl:with-param name="page-kind" select="$page-kind"/>
            <xsl:with-param name="page-key" select="$page-key"/>
          </xsl:call-template>
        </main>
        <footer class="site">
          <xsl:for-each select="/tei:teiCorpus/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence[1]">
            <a rel="license" href="{@target}"><xsl:value-of select="normalize-space(.)"/></a>
            <xsl:text>. </xsl:text>
          </xsl:for-each>
          <xsl:if test="$corpus-version != ''">Version <xsl:value-of select="$corpus-version"/>. </xsl:if>
          <xsl:text>Rendered from TEI P5 by teikit.</xsl:text>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="page-heading">
    <xsl:param name="page-kind"/>
    <xsl:param name="page-key"/>
    <xsl:choose>
      <xsl:when test="$page-kind = 'index'">
        <xsl:for-each select="/*[1]"><xsl:call-template name="meta-title"/></xsl:for-each>
      </xsl:when>
      <xsl:when test="$page-kind = 'years'">Documents by year</xsl:when>
      <xsl:when test="$page-kind = 'year'">Documents of <xsl:value-of select="$page-key"/></xsl:when>
      <xsl:when test="$page-kind = 'types'">Documents by type</xsl:when>
      <xsl:when test="$page-kind = 'type'">Type: <xsl:value-of select="translate($page-key, '-', ' ')"/></xsl:when>
      <xsl:when test="$page-kind = 'persons'">Persons</xsl:when>
      <xsl:when test="$page-kind = 'places'">Places</xsl:when>
      <xsl:when test="$page-kind = 'orgs'">Organisations</xsl:when>
      <xsl:when test="$page-kind = 'about'">About this edition</xsl:when>
      <xsl:when test="$page-kind = 'search'">Search the texts</xsl:when>
      <xsl:when test="$page-kind = 'timeline'">Timeline: documents per month</xsl:when>
      <xsl:when test="$page-kind = 'network'">Correspondents: who wrote to whom</xsl:when>
      <xsl:when test="$page-kind = 'map'">Map of places</xsl:when>
      <xsl:when test="$page-kind = 'person' or $page-kind = 'place' or $page-kind = 'org'">
        <xsl:variable name="e" select="(key('by-id', $page-key)/parent::*[self::tei:person[ancestor::tei:listPerson[parent::tei:body[parent::tei:text[parent::tei:TEI[ancestor::tei:teiCorpus[not(parent::*)]]]]]] | self::tei:place[ancestor::tei:listPlace[parent::tei:body[parent::tei:text[parent::tei:TEI[ancestor::tei:teiCorpus[not(parent::*)]]]]]] | self::tei:org[ancestor::tei:listOrg[parent::tei:body[parent::tei:text[parent::tei:TEI[ancestor::tei:teiCorpus[not(parent::*)]]]]]]])[1]"/>
        <xsl:choose>
          <xsl:when test="$e"><xsl:call-template name="entity-name"><xsl:with-param name="e" select="$e"/></xsl:call-template></xsl:when>
          <xsl:otherwise><xsl:value-of select="$page-key"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">page-kind '<xsl:value-of select="$page-kind"/>' unknown</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="page-body">
    <xsl:param name="page-kind"/>
    <xsl:param name="page-key"/>
    <xsl:choose>
      <xsl:when test="$page-kind = 'index'"><xsl:call-template name="index-page"/></xsl:when>
      <xsl:when test="$page-kind = 'years'"><xsl:call-template name="years-page"/></xsl:when>
      <xsl:when test="$page-kind = 'about'"><xsl:call-template name="about-page"/></xsl:when>
      <xsl:when test="$page-kind = 'search'"><xsl:call-template name="search-page"/></xsl:when>
      <xsl:when test="$page-kind = 'timeline' or $page-kind = 'network' or $page-kind = 'map'">
        <div class="glance glance-{$page-kind}" data-glance="{$page-kind}"></div>
      </xsl:when>
      <xsl:when test="$page-kind = 'year'">
        <xsl:call-template name="doc-table"><xsl:with-param name="set" select="key('by-year', $page-key)"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'types'"><xsl:call-template name="types-page"/></xsl:when>
      <xsl:when test="$page-kind = 'type'">
        <xsl:call-template name="doc-table"><xsl:with-param name="set" select="key('by-type', $page-key)"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'persons'">
        <xsl:call-template name="entity-list"><xsl:with-param name="set" select="$persons"/><xsl:with-param name="prefix" select="'pers'"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'places'">
        <xsl:call-template name="entity-list"><xsl:with-param name="set" select="$places"/><xsl:with-param name="prefix" select="'place'"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'orgs'">
        <xsl:call-template name="entity-list"><xsl:with-param name="set" select="$orgs"/><xsl:with-param name="prefix" select="'org'"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'person'">
        <xsl:call-template name="entity-page"><xsl:with-param name="set" select="$persons"/><xsl:with-param name="prefix" select="'pers'"/><xsl:with-param name="page-key" select="$page-key"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'place'">
        <xsl:call-template name="entity-page"><xsl:with-param name="set" select="$places"/><xsl:with-param name="prefix" select="'place'"/><xsl:with-param name="page-key" select="$page-key"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'org'">
        <xsl:call-template name="entity-page"><xsl:with-param name="set" select="$orgs"/><xsl:with-param name="prefix" select="'org'"/><xsl:with-param name="page-key" select="$page-key"/></xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== index ===================== -->
  <xsl:template name="index-page">
    <p class="lead"><xsl:value-of select="count($listed)"/> documents. Filter the table by words, year, type or archival reference, sort it by a column heading (or the “Sort by” list), or search the full text.</p>
    <section class="search" aria-labelledby="search-h">
      <h2 id="search-h">Search the texts</h2>
      <form class="search-form" role="search" action="search.html" method="get">
        <label for="q">Words in the full text (with filters for year, type, person and place)</label>
        <input type="search" id="q" name="q" autocomplete="off"/>
        <button type="submit">Search</button>
      </form>
    </section>
    <section class="at-a-glance" aria-labelledby="glance-h">
      <h2 id="glance-h">The corpus at a glance</h2>
      <ul class="glance-links">
        <li><a href="timeline.html">Timeline</a>: documents per month, by type</li>
        <li><a href="network.html">Correspondents</a>: who wrote to whom, and how often</li>
        <li><a href="map.html">Map</a>: the places the documents name</li>
      </ul>
    </section>
    <section class="documents" aria-labelledby="docs-h">
      <h2 id="docs-h">All documents</h2>
      <xsl:call-template name="doc-table">
        <xsl:with-param name="set" select="$listed"/>
        <xsl:with-param name="filter" select="true()"/>
      </xsl:call-template>
    </section>
    <xsl:variable name="other" select="$docs[not(tei:teiHeader/tei:profileDesc/tei:creation/tei:date or tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef or tei:teiHeader/tei:profileDesc/tei:correspDesc)]"/>
    <xsl:if test="$other">
      <section class="other-parts" aria-labelledby="other-h">
        <h2 id="other-h">Other parts of the compilation</h2>
        <ul>
          <xsl:for-each select="$other">
            <li><a href="{@xml:id}.html"><xsl:call-template name="meta-title"/></a></li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- a sortable table of documents in date order -->
  <xsl:template name="doc-table">
    <xsl:param name="set"/>
    <xsl:param name="filter" select="false()"/>
    <xsl:choose>
      <xsl:when test="not($set)"><p class="empty">No documents.</p></xsl:when>
      <xsl:otherwise>
        <xsl:if test="$filter"><xsl:call-template name="doc-filters"><xsl:with-param name="set" select="$set"/></xsl:call-template></xsl:if>
        <table class="sortable docs" id="docs" data-facets="month from to corresp">
          <thead>
            <tr>
              <th scope="col" data-sort="date" aria-sort="ascending">Date</th>
              <th scope="col" data-sort="type">Type</th>
              <th scope="col" data-sort="title">Title</th>
              <th scope="col" data-sort="corresp">From → to</th>
              <th scope="col" data-sort="place">Place</th>
            </tr>
          </thead>
          <tbody>
            <xsl:choose>
              <xsl:when test="$dates-keyed">
                <xsl:for-each select="$set">
                  <xsl:sort select="@tk:date"/>
                  <xsl:sort select="@xml:id"/>
                  <xsl:call-template name="doc-row"/>
                </xsl:for-each>
              </xsl:when>
              <xsl:otherwise>
                <xsl:for-each select="$set">
                  <xsl:sort select="(tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1]"/>
                  <xsl:sort select="@xml:id"/>
                  <xsl:call-template name="doc-row"/>
                </xsl:for-each>
              </xsl:otherwise>
            </xsl:choose>
          </tbody>
        </table>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- with <tk:pages dates="keyed">, each tei:TEI holds @tk:date, the string of the sort key
       above (its first date of the four), which the caller evaluated once per document
       (teikit.transform.site.pages.render_pages): not once per row of every page -->
  <xsl:variable name="dates-keyed" select="boolean(/*/tk:pages[@dates = 'keyed'])"/>

  <!-- the pages wanted that show document rows (without a list of pages: the one page) -->
  <xsl:variable name="row-pages" select="/*/tk:pages/tk:page[@kind = 'index' or @kind = 'year' or @kind = 'type' or @kind = 'person' or @kind = 'place' or @kind = 'org'] | /*[not(tk:pages)]"/>
  <!-- every document's row, made once: the row depends on the document only, and a document
       is listed on many pages (the index, its year, its type, each entity it names) -->
  <xsl:variable name="rows-rtf">
    <xsl:for-each select="$docs[$row-pages]">
      <row k="{generate-id()}"><xsl:call-template name="doc-row-made"/></row>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="rows" select="exsl:node-set($rows-rtf)"/>
  <xsl:key name="row" match="row" use="@k"/>

  <!-- with <tk:pages rows="refs">, a page holds a reference to each of its rows, <tk-row k="..."/>,
       and the rows are given once, in <site-rows> after the pages: the caller puts each row's
       HTML in place of its references (teikit.transform.site.pages.serialise) -->
  <xsl:variable name="row-refs" select="boolean(/*/tk:pages[@rows = 'refs'])"/>

  <xsl:template name="doc-row">
    <xsl:variable name="k" select="generate-id()"/>
    <xsl:choose>
      <xsl:when test="$row-refs"><tk-row k="{$k}"/></xsl:when>
      <xsl:otherwise><xsl:for-each select="$rows"><xsl:copy-of select="key('row', $k)/node()"/></xsl:for-each></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="doc-row-made">
    <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
    <xsl:variable name="printed"><xsl:call-template name="meta-date-printed"/></xsl:variable>
    <xsl:variable name="type"><xsl:call-template name="meta-type"/></xsl:variable>
    <xsl:variable name="from"><xsl:call-template name="meta-agents"/></xsl:variable>
    <xsl:variable name="to"><xsl:call-template name="meta-agents"><xsl:with-param name="type" select="'received'"/></xsl:call-template></xsl:variable>
    <xsl:variable name="shelf"><xsl:call-template name="meta-shelfmark"/></xsl:variable>
    <xsl:variable name="ca" select="tei:teiHeader/tei:profileDesc/tei:correspDesc[1]/tei:correspAction"/>
    <xsl:variable name="senders"><xsl:for-each select="$ca[@type='sent']/*[@ref]"><xsl:value-of select="concat(' ', normalize-space(@ref))"/></xsl:for-each></xsl:variable>
    <xsl:variable name="addressees"><xsl:for-each select="$ca[@type='received']/*[@ref]"><xsl:value-of select="concat(' ', normalize-space(@ref))"/></xsl:for-each></xsl:variable>
    <tr id="row-{@xml:id}" data-year="{substring($iso, 1, 4)}" data-month="{substring($iso, 1, 7)}" data-type="{$type}" data-archive="{substring('noyes', 1 + 2 * number($shelf != ''), 2 + number($shelf != ''))}" data-from="{normalize-space($senders)}" data-to="{normalize-space($addressees)}" data-corresp="{normalize-space(concat($senders, $addressees))}">
      <td data-key="{$iso} {@xml:id}">
        <xsl:choose>
          <xsl:when test="$iso != ''"><time datetime="{substring-before(concat($iso, '/'), '/')}" title="{$printed}"><xsl:value-of select="$iso"/></time></xsl:when>
          <xsl:otherwise><xsl:value-of select="$printed"/></xsl:otherwise>
        </xsl:choose>
      </td>
      <td><xsl:value-of select="translate($type, '-', ' ')"/></td>
      <td><a href="{@xml:id}.html"><xsl:call-template name="meta-title"/></a></td>
      <td>
        <xsl:value-of select="$from"/>
        <xsl:if test="$to != ''"><xsl:value-of select="concat(' → ', $to)"/></xsl:if>
      </td>
      <td><xsl:call-template name="meta-place"/></td>
    </tr>
  </xsl:template>

  <!-- the filters of the index table: words, year, type, archival reference, and a sort
       list (the only way to sort on a phone, where the table is read as cards). The form
       works as a GET form without script; teikit.js applies it in place and keeps the URL
       (?filter=&year=&type=&archive=) in step -->
  <!-- $set: the listed documents (the counts of the year and type options are the keys' counts) -->
  <xsl:template name="doc-filters">
    <xsl:param name="set"/>
    <xsl:variable name="archived" select="$set[tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc/tei:msIdentifier]"/>
    <form class="filters" action="index.html" method="get" data-filters="docs" aria-label="Filter the documents">
      <p class="filter words">
        <label for="filter">Words in the row (all must occur)</label>
        <input type="search" id="filter" name="filter" data-filter="docs" autocomplete="off"/>
      </p>
      <p class="filter facet">
        <label for="f-year">Year</label>
        <select id="f-year" name="year" data-facet="year">
          <option value="">All years</option>
          <xsl:for-each select="$set[generate-id() = generate-id(key('by-year', substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4))[1])]">
            <xsl:sort select="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
            <xsl:variable name="y" select="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
            <xsl:if test="$y != ''">
              <option value="{$y}"><xsl:value-of select="concat($y, ' (', count(key('by-year', $y)), ')')"/></option>
            </xsl:if>
          </xsl:for-each>
        </select>
      </p>
      <p class="filter facet">
        <label for="f-type">Type</label>
        <select id="f-type" name="type" data-facet="type">
          <option value="">All types</option>
          <xsl:for-each select="$set[tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')]][generate-id() = generate-id(key('by-type', substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#'))[1])]">
            <xsl:sort select="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
            <xsl:variable name="t" select="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
            <option value="{$t}"><xsl:value-of select="concat(translate($t, '-', ' '), ' (', count(key('by-type', $t)), ')')"/></option>
          </xsl:for-each>
        </select>
      </p>
      <p class="filter facet">
        <label for="f-archive">Archival reference</label>
        <select id="f-archive" name="archive" data-facet="archive">
          <option value="">With or without</option>
          <option value="yes"><xsl:value-of select="concat('With one (', count($archived), ')')"/></option>
          <option value="no"><xsl:value-of select="concat('Without (', count($set) - count($archived), ')')"/></option>
        </select>
      </p>
      <p class="filter facet sort-select">
        <label for="f-sort">Sort by</label>
        <select id="f-sort" data-sort-table="docs">
          <option value="date ascending">Date, earliest first</option>
          <option value="date descending">Date, latest first</option>
          <option value="type ascending">Type</option>
          <option value="title ascending">Title</option>
          <option value="corresp ascending">From → to</option>
          <option value="place ascending">Place</option>
        </select>
      </p>
      <p class="filter actions">
        <button type="submit" class="apply">Apply</button>
        <xsl:text> </xsl:text>
        <a class="reset" href="index.html">Show all</a>
      </p>
    </form>
    <p id="filter-status" class="status" aria-live="polite"><xsl:value-of select="count($set)"/> documents</p>
  </xsl:template>

  <!-- ===================== search (Pagefind) ===================== -->
  <!-- teikit.js starts Pagefind's UI in #search; from file:// (where Pagefind cannot load its
       index) it shows #search-offline instead -->
  <xsl:template name="search-page">
    <p class="lead">Search the full text of the <xsl:value-of select="count($listed)"/> documents, and narrow the hits by year, type, person and place.</p>
    <div id="search" class="pagefind" data-pagefind-ui="pagefind/"></div>
    <div id="search-offline" class="notice" hidden="hidden">
      <p>Search needs the site to be served over HTTP: browsers do not let Pagefind read its index from a file:// page. Run <code>teikit serve</code> (or any static web server) and open the address it prints.</p>
      <p>Without a server, the <a href="index.html">list of documents</a> filters by words, year, type and archival reference, and the <a href="years.html">years</a>, <a href="types.html">types</a>, <a href="persons.html">persons</a> and <a href="places.html">places</a> pages list their documents.</p>
    </div>
    <noscript><p class="notice">Search needs JavaScript. The <a href="index.html">list of documents</a> and the browse pages work without it.</p></noscript>
  </xsl:template>

  <!-- ===================== about this edition ===================== -->
  <xsl:template name="about-page">
    <xsl:variable name="h" select="/tei:teiCorpus/tei:teiHeader"/>
    <xsl:variable name="fd" select="$h/tei:fileDesc"/>
    <xsl:variable name="comp" select="$fd/tei:sourceDesc/tei:bibl[@type='compilation'][1]"/>
    <xsl:variable name="series" select="$comp/tei:relatedItem[@type='translatedFrom']/tei:bibl"/>
    <section class="metadata about" aria-labelledby="about-edition">
      <h2 id="about-edition">The edition</h2>
      <dl>
        <dt>Title</dt><dd class="title"><xsl:value-of select="normalize-space(($fd/tei:titleStmt/tei:title[@type='main'] | $fd/tei:titleStmt/tei:title)[1])"/></dd>
        <xsl:for-each select="$fd/tei:titleStmt/tei:title[@type='short']">
          <dt>Short title</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
        </xsl:for-each>
        <xsl:if test="$fd/tei:titleStmt/tei:editor | $fd/tei:titleStmt/tei:author">
          <dt>Compiled by</dt>
          <dd class="compilers"><xsl:for-each select="$fd/tei:titleStmt/tei:editor | $fd/tei:titleStmt/tei:author"><xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
        </xsl:if>
        <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt">
          <dt>Encoding</dt>
          <dd class="encoders"><xsl:value-of select="normalize-space(tei:resp)"/>: <xsl:for-each select="*[not(self::tei:resp)]"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
        </xsl:for-each>
        <xsl:if test="$fd/tei:editionStmt/tei:edition or $corpus-version != ''">
          <dt>Version</dt>
          <dd class="version">
            <xsl:choose>
              <xsl:when test="$fd/tei:editionStmt/tei:edition/@n"><xsl:value-of select="$fd/tei:editionStmt/tei:edition/@n"/></xsl:when>
              <xsl:when test="$corpus-version != ''"><xsl:value-of select="$corpus-version"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="normalize-space($fd/tei:editionStmt/tei:edition)"/></xsl:otherwise>
            </xsl:choose>
            <xsl:for-each select="$fd/tei:publicationStmt/tei:date[1]"><xsl:value-of select="concat(', ', normalize-space(.))"/></xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:if test="$fd/tei:publicationStmt/tei:publisher">
          <dt>Published by</dt><dd><xsl:value-of select="normalize-space($fd/tei:publicationStmt/tei:publisher[1])"/></dd>
        </xsl:if>
        <xsl:for-each select="$fd/tei:publicationStmt/tei:availability">
          <dt>Licence</dt>
          <dd class="licence">
            <xsl:for-each select="tei:licence">
              <xsl:choose>
                <xsl:when test="@target"><a rel="license" href="{@target}"><xsl:value-of select="normalize-space(.)"/></a></xsl:when>
                <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
            <xsl:for-each select="tei:p"><span class="part"><xsl:value-of select="normalize-space(.)"/></span></xsl:for-each>
          </dd>
        </xsl:for-each>
        <xsl:if test="$fd/tei:extent/tei:measure">
          <dt>Extent</dt>
          <dd class="extent">
            <xsl:for-each select="$fd/tei:extent/tei:measure[@unit = 'document' or @unit = 'word' or @unit = 'paragraph' or not(@unit)]">
              <xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/>
            </xsl:for-each>
            <xsl:variable name="by-type" select="$fd/tei:extent/tei:measure[@unit and not(@unit = 'document' or @unit = 'word' or @unit = 'paragraph')]"/>
            <xsl:if test="$by-type">
              <span class="part">By type:
                <xsl:for-each select="$by-type">
                  <xsl:if test="position() &gt; 1">, </xsl:if>
                  <xsl:variable name="u" select="@unit"/>
                  <xsl:choose>
                    <!-- key('by-type', $u) is not empty: asked of the listed documents ($listed, the
                         documents that key indexes, in a teiCorpus: the site's corpus.xml), so that
                         the about page alone builds no key and walks no tree; under a TEI root, its TEI are asked -->
                    <xsl:when test="$listed[substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#') = $u] | /tei:TEI/descendant-or-self::tei:TEI[not(tei:text/tei:body/tei:listPerson | tei:text/tei:body/tei:listPlace | tei:text/tei:body/tei:listOrg)][tei:teiHeader/tei:profileDesc/tei:creation/tei:date or tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef or tei:teiHeader/tei:profileDesc/tei:correspDesc][substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#') = $u]"><a href="type-{$u}.html"><xsl:value-of select="translate($u, '-', ' ')"/></a></xsl:when>
                    <xsl:otherwise><xsl:value-of select="translate($u, '-', ' ')"/></xsl:otherwise>
                  </xsl:choose>
                  <xsl:value-of select="concat(' ', @quantity)"/>
                </xsl:for-each>
              </span>
            </xsl:if>
          </dd>
        </xsl:if>
        <xsl:if test="$h/tei:profileDesc/tei:langUsage/tei:language">
          <dt>Languages</dt>
          <dd><xsl:for-each select="$h/tei:profileDesc/tei:langUsage/tei:language"><xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
        </xsl:if>
        <xsl:if test="$h/tei:profileDesc/tei:textClass/tei:keywords/tei:term">
          <dt>Keywords</dt>
          <dd><xsl:for-each select="$h/tei:profileDesc/tei:textClass/tei:keywords/tei:term"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
        </xsl:if>
      </dl>
    </section>
    <xsl:if test="$comp">
      <section class="about-source" aria-labelledby="about-source">
        <h2 id="about-source"><xsl:value-of select="$source-heading"/></h2>
        <dl>
          <xsl:for-each select="$comp/tei:title[not(@type)] | $comp/tei:title[@type='main']">
            <dt>Compilation</dt><dd class="compilation"><i><xsl:value-of select="normalize-space(.)"/></i></dd>
          </xsl:for-each>
          <xsl:for-each select="$comp/tei:title[@type='sub']">
            <dt>Subtitle</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
          </xsl:for-each>
          <xsl:if test="$comp/tei:editor | $comp/tei:author">
            <dt>Compilers</dt><dd><xsl:for-each select="$comp/tei:editor | $comp/tei:author"><xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
          </xsl:if>
          <xsl:for-each select="$comp/tei:note">
            <dt>Note</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
          </xsl:for-each>
          <xsl:for-each select="$series">
            <dt>Translated from</dt>
            <dd class="series">
              <xsl:for-each select="tei:title[not(@type='translated')]">
                <i><xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if><xsl:value-of select="normalize-space(.)"/></i>
              </xsl:for-each>
              <xsl:for-each select="tei:title[@type='translated']"> (<xsl:value-of select="normalize-space(.)"/>)</xsl:for-each>
              <xsl:for-each select="tei:extent | tei:pubPlace | tei:publisher | tei:date">
                <xsl:value-of select="concat(', ', normalize-space(.))"/>
              </xsl:for-each>
            </dd>
          </xsl:for-each>
          <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[@type='digitalSource']">
            <dt>Source file</dt>
            <dd><xsl:value-of select="normalize-space(tei:title)"/><xsl:for-each select="tei:note">: <xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:if>
    <xsl:variable name="ed" select="$h/tei:encodingDesc"/>
    <xsl:if test="$ed/tei:projectDesc | $ed/tei:samplingDecl | $ed/tei:editorialDecl">
      <section class="about-decls" aria-labelledby="about-decls">
        <h2 id="about-decls">Editorial principles</h2>
        <dl>
          <xsl:for-each select="$ed/tei:projectDesc | $ed/tei:samplingDecl | $ed/tei:editorialDecl/* | $ed/tei:editorialDecl[tei:p]">
            <dt>
              <xsl:choose>
                <xsl:when test="self::tei:projectDesc">The project</xsl:when>
                <xsl:when test="self::tei:samplingDecl">Selection</xsl:when>
                <xsl:when test="self::tei:editorialDecl">Editorial practice</xsl:when>
                <xsl:when test="self::tei:correction">Corrections</xsl:when>
                <xsl:when test="self::tei:normalization">Normalisation</xsl:when>
                <xsl:when test="self::tei:quotation">Quotation</xsl:when>
                <xsl:when test="self::tei:hyphenation">Hyphenation</xsl:when>
                <xsl:when test="self::tei:segmentation">Segmentation</xsl:when>
                <xsl:when test="self::tei:interpretation">Interpretation</xsl:when>
                <xsl:when test="self::tei:punctuation">Punctuation</xsl:when>
                <xsl:otherwise><xsl:value-of select="local-name()"/></xsl:otherwise>
              </xsl:choose>
            </dt>
            <dd><xsl:for-each select="tei:p | self::*[not(tei:p)]"><p><xsl:value-of select="normalize-space(.)"/></p></xsl:for-each></dd>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:if>
    <section class="downloads" aria-labelledby="about-downloads">
      <h2 id="about-downloads">Downloads</h2>
      <xsl:choose>
        <xsl:when test="normalize-space($downloads) != ''">
          <ul class="downloads">
            <xsl:call-template name="download-items"><xsl:with-param name="rest" select="concat($downloads, '&#10;')"/></xsl:call-template>
          </ul>
        </xsl:when>
        <xsl:otherwise><p class="empty">No downloads.</p></xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- one li per line 'href TAB label TAB bytes' of $rest -->
  <xsl:template name="download-items">
    <xsl:param name="rest"/>
    <xsl:variable name="line" select="substring-before($rest, '&#10;')"/>
    <xsl:if test="normalize-space($line) != ''">
      <xsl:variable name="href" select="substring-before($line, '&#9;')"/>
      <xsl:variable name="label" select="substring-before(substring-after($line, '&#9;'), '&#9;')"/>
      <xsl:variable name="bytes" select="number(substring-after(substring-after($line, '&#9;'), '&#9;'))"/>
      <li>
        <a href="{$href}" download=""><xsl:value-of select="$label"/></a>
        <span class="size">
          <xsl:text> (</xsl:text>
          <xsl:choose>
            <xsl:when test="$bytes &gt;= 1048576"><xsl:value-of select="format-number($bytes div 1048576, '0.0')"/> MB</xsl:when>
            <xsl:when test="$bytes &gt;= 1024"><xsl:value-of select="format-number($bytes div 1024, '0')"/> kB</xsl:when>
            <xsl:otherwise><xsl:value-of select="$bytes"/> bytes</xsl:otherwise>
          </xsl:choose>
          <xsl:text>)</xsl:text>
        </span>
      </li>
    </xsl:if>
    <xsl:if test="substring-after($rest, '&#10;') != ''">
      <xsl:call-template name="download-items"><xsl:with-param name="rest" select="substring-after($rest, '&#10;')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===================== years and types ===================== -->
  <xsl:template name="years-page">
    <ul class="facets">
      <xsl:for-each select="$listed[generate-id() = generate-id(key('by-year', substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4))[1])]">
        <xsl:sort select="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
        <xsl:variable name="y" select="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
        <xsl:if test="$y != ''">
          <li><a href="year-{$y}.html"><xsl:value-of select="$y"/></a> (<xsl:value-of select="count(key('by-year', $y))"/>)</li>
        </xsl:if>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template name="types-page">
    <ul class="facets">
      <xsl:for-each select="$listed[tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')]][generate-id() = generate-id(key('by-type', substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#'))[1])]">
        <xsl:sort select="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
        <xsl:variable name="t" select="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
        <li><a href="type-{$t}.html"><xsl:value-of select="translate($t, '-', ' ')"/></a> (<xsl:value-of select="count(key('by-type', $t))"/>)</li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <!-- ===================== registries ===================== -->
  <xsl:template name="entity-name">
    <xsl:param name="e"/>
    <xsl:variable name="n" select="$e/*[self::tei:persName or self::tei:placeName or self::tei:orgName][@type='reg'][1] | $e/*[self::tei:persName or self::tei:placeName or self::tei:orgName][not(../*[@type='reg'])][1]"/>
    <xsl:choose>
      <xsl:when test="$n"><xsl:value-of select="normalize-space($n[1])"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$e/@xml:id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="entity-list">
    <xsl:param name="set"/>
    <xsl:param name="prefix"/>
    <p class="lead"><xsl:value-of select="count($set)"/> entries; the number of documents that name each is given in brackets.</p>
    <p class="filter">
      <label for="filter">Filter the list</label>
      <input type="search" id="filter" data-filter="entities" autocomplete="off"/>
      <span id="filter-status" class="status" aria-live="polite"></span>
    </p>
    <table class="sortable entities" id="entities">
      <thead><tr><th scope="col" data-sort="name">Name</th><th scope="col" data-sort="count">Documents</th><th scope="col">Also written</th></tr></thead>
      <tbody>
        <xsl:for-each select="$set">
          <xsl:sort select="translate(normalize-space((*[@type='reg'] | *[self::tei:persName or self::tei:placeName or self::tei:orgName])[1]), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
          <xsl:variable name="n" select="count(key('by-ref', concat($prefix, ':', @xml:id))/../ancestor::tei:TEI[1])"/>
          <tr>
            <td><a href="{$prefix}-{@xml:id}.html"><xsl:call-template name="entity-name"><xsl:with-param name="e" select="."/></xsl:call-template></a></td>
            <td data-key="{$n}"><xsl:value-of select="$n"/></td>
            <td>
              <xsl:for-each select="*[@type='variant']">
                <xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/>
              </xsl:for-each>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template name="entity-page">
    <xsl:param name="set"/>
    <xsl:param name="prefix"/>
    <xsl:param name="page-key"/>
    <!-- $set[@xml:id = $page-key][1], by the key of ids: $set is $persons, $places or $orgs by $prefix -->
    <xsl:variable name="e" select="(key('by-id', $page-key)/parent::*[($prefix = 'pers' and self::tei:person[ancestor::tei:listPerson[parent::tei:body[parent::tei:text[parent::tei:TEI[ancestor::tei:teiCorpus[not(parent::*)]]]]]]) or ($prefix = 'place' and self::tei:place[ancestor::tei:listPlace[parent::tei:body[parent::tei:text[parent::tei:TEI[ancestor::tei:teiCorpus[not(parent::*)]]]]]]) or ($prefix = 'org' and self::tei:org[ancestor::tei:listOrg[parent::tei:body[parent::tei:text[parent::tei:TEI[ancestor::tei:teiCorpus[not(parent::*)]]]]]])])[1]"/>
    <xsl:variable name="refs" select="key('by-ref', concat($prefix, ':', $page-key))/.."/>
    <section class="metadata" aria-label="Registry entry">
      <dl>
        <xsl:if test="$e/*[@type='variant']">
          <dt>Also written</dt>
          <dd><xsl:for-each select="$e/*[@type='variant']"><xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
        </xsl:if>
        <xsl:if test="$e/tei:birth | $e/tei:death">
          <dt>Lived</dt>
          <dd><xsl:value-of select="concat($e/tei:birth/@when, '–', $e/tei:death/@when)"/></dd>
        </xsl:if>
        <xsl:for-each select="$e/tei:occupation | $e/tei:affiliation | $e/tei:roleName | $e/tei:note | $e/tei:desc">
          <dt>
            <xsl:choose>
              <xsl:when test="self::tei:occupation">Occupation</xsl:when>
              <xsl:when test="self::tei:affiliation">Affiliation</xsl:when>
              <xsl:when test="self::tei:roleName">Role</xsl:when>
              <xsl:when test="self::tei:desc">Description</xsl:when>
              <xsl:otherwise>Note</xsl:otherwise>
            </xsl:choose>
          </dt>
          <dd>
            <xsl:value-of select="normalize-space(.)"/>
            <xsl:if test="@from or @to"> (<xsl:value-of select="concat(@from, '–', @to)"/>)</xsl:if>
          </dd>
        </xsl:for-each>
        <xsl:if test="$e/tei:country | $e/tei:location | $e/tei:settlement">
          <dt>Located</dt>
          <dd><xsl:for-each select="$e/tei:country | $e/tei:settlement | $e/tei:location"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each></dd>
        </xsl:if>
        <xsl:for-each select="$e/tei:idno">
          <dt>Identifier<xsl:if test="@type"> (<xsl:value-of select="@type"/>)</xsl:if></dt>
          <dd>
            <xsl:choose>
              <xsl:when test="starts-with(normalize-space(.), 'http')"><a href="{normalize-space(.)}"><xsl:value-of select="normalize-space(.)"/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
            </xsl:choose>
          </dd>
        </xsl:for-each>
        <dt>Registry</dt>
        <dd><a href="tei/{$e/ancestor::tei:TEI[1]/@xml:id}.xml#{$page-key}" type="application/tei+xml"><xsl:value-of select="concat($prefix, ':', $page-key)"/></a></dd>
      </dl>
    </section>
    <h2>Documents</h2>
    <xsl:call-template name="doc-table">
      <xsl:with-param name="set" select="$refs/ancestor::tei:TEI[1][not(tei:text/tei:body/tei:listPerson | tei:text/tei:body/tei:listPlace | tei:text/tei:body/tei:listOrg)]"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
