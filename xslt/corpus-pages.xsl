<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit: the corpus-level pages of the edition site (XSLT 1.0), from a teiCorpus whose
  members are present in the tree (XIncludes expanded by the caller, e.g. teikit.site),
  registries (TEI files whose body holds listPerson / listPlace / listOrg) among them.

  $page-kind / $page-key choose the page (parameters are declared in common.xsl):
    index            all documents: date, type, title, from → to, place; filter, sort, search
    years  | year    documents by year (key '1920')
    types  | type    documents by type (key 'letter')
    persons| person  registry persons, each with their documents in date order (key = xml:id)
    places | place   registry places  (key = xml:id)
    orgs   | org     registry organisations (key = xml:id)
  Links: a document is '{@xml:id}.html', an entity 'pers-{id}.html' / 'place-{id}.html' /
  'org-{id}.html' (the names tei-to-html.xsl gives prefixed @ref values 'pers:id'), all in
  one folder with the pages.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="tei">

  <xsl:import href="common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <!-- documents: members that are not registries -->
  <xsl:variable name="docs" select="/tei:teiCorpus//tei:TEI[not(tei:text/tei:body/tei:listPerson | tei:text/tei:body/tei:listPlace | tei:text/tei:body/tei:listOrg)]"/>
  <!-- dated or typed documents are listed; the others (front and back matter) apart -->
  <xsl:variable name="listed" select="$docs[tei:teiHeader/tei:profileDesc/tei:creation/tei:date or tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef or tei:teiHeader/tei:profileDesc/tei:correspDesc]"/>
  <xsl:variable name="persons" select="/tei:teiCorpus//tei:TEI/tei:text/tei:body/tei:listPerson//tei:person[@xml:id]"/>
  <xsl:variable name="places" select="/tei:teiCorpus//tei:TEI/tei:text/tei:body/tei:listPlace//tei:place[@xml:id]"/>
  <xsl:variable name="orgs" select="/tei:teiCorpus//tei:TEI/tei:text/tei:body/tei:listOrg//tei:org[@xml:id]"/>

  <!-- every element with a prefixed @ref, by that ref ('pers:chicherin') -->
  <xsl:key name="by-ref" match="*[@ref]" use="normalize-space(@ref)"/>
  <!-- documents by the year of their date, and by type -->
  <xsl:key name="by-year" match="tei:TEI" use="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
  <xsl:key name="by-type" match="tei:TEI" use="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>

  <!-- ===================== page shell ===================== -->
  <xsl:template match="/">
    <xsl:variable name="corpus-name">
      <xsl:choose>
        <xsl:when test="$corpus-title != ''"><xsl:value-of select="$corpus-title"/></xsl:when>
        <xsl:otherwise><xsl:for-each select="*[1]"><xsl:call-template name="meta-title"/></xsl:for-each></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="heading"><xsl:call-template name="page-heading"/></xsl:variable>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="$heading"/>
          <xsl:if test="$heading != $corpus-name"><xsl:value-of select="concat(' — ', $corpus-name)"/></xsl:if>
        </title>
        <link rel="stylesheet" href="{$assets-href}teikit.css"/>
        <xsl:if test="$page-kind = 'index' and $search-href != ''">
          <script src="{$search-href}"></script>
        </xsl:if>
        <script src="{$assets-href}teikit.js" defer="defer"></script>
      </head>
      <body class="corpus-page page-{$page-kind}">
        <a class="skip" href="#main">Skip to content</a>
        <header class="site"><a href="index.html"><xsl:value-of select="$corpus-name"/></a></header>
        <nav class="site-nav" aria-label="Browse">
          <ul>
            <li><a href="index.html">Documents</a></li>
            <li><a href="years.html">Years</a></li>
            <li><a href="types.html">Types</a></li>
            <li><a href="persons.html">Persons</a></li>
            <li><a href="places.html">Places</a></li>
            <li><a href="orgs.html">Organisations</a></li>
          </ul>
        </nav>
        <main id="main">
          <h1><xsl:value-of select="$heading"/></h1>
          <xsl:call-template name="page-body"/>
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
      <xsl:when test="$page-kind = 'person' or $page-kind = 'place' or $page-kind = 'org'">
        <xsl:variable name="e" select="($persons | $places | $orgs)[@xml:id = $page-key][1]"/>
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
    <xsl:choose>
      <xsl:when test="$page-kind = 'index'"><xsl:call-template name="index-page"/></xsl:when>
      <xsl:when test="$page-kind = 'years'"><xsl:call-template name="years-page"/></xsl:when>
      <xsl:when test="$page-kind = 'year'">
        <xsl:call-template name="doc-table"><xsl:with-param name="set" select="key('by-year', $page-key)[count(. | $listed) = count($listed)]"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'types'"><xsl:call-template name="types-page"/></xsl:when>
      <xsl:when test="$page-kind = 'type'">
        <xsl:call-template name="doc-table"><xsl:with-param name="set" select="key('by-type', $page-key)[count(. | $listed) = count($listed)]"/></xsl:call-template>
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
        <xsl:call-template name="entity-page"><xsl:with-param name="set" select="$persons"/><xsl:with-param name="prefix" select="'pers'"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'place'">
        <xsl:call-template name="entity-page"><xsl:with-param name="set" select="$places"/><xsl:with-param name="prefix" select="'place'"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$page-kind = 'org'">
        <xsl:call-template name="entity-page"><xsl:with-param name="set" select="$orgs"/><xsl:with-param name="prefix" select="'org'"/></xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== index ===================== -->
  <xsl:template name="index-page">
    <p class="lead"><xsl:value-of select="count($listed)"/> documents. Filter the table, sort it by a column heading, or search the full text.</p>
    <xsl:if test="$search-href != ''">
      <section class="search" aria-labelledby="search-h">
        <h2 id="search-h">Search the texts</h2>
        <form class="search-form" role="search" action="index.html" method="get">
          <label for="q">Words (all must occur; a word also finds longer words it begins)</label>
          <input type="search" id="q" name="q" data-search="search-results" autocomplete="off"/>
          <button type="submit">Search</button>
        </form>
        <p id="search-status" class="status" aria-live="polite"></p>
        <ol id="search-results" class="search-results"></ol>
      </section>
    </xsl:if>
    <section class="documents" aria-labelledby="docs-h">
      <h2 id="docs-h">All documents</h2>
      <xsl:call-template name="doc-table">
        <xsl:with-param name="set" select="$listed"/>
        <xsl:with-param name="filter" select="true()"/>
      </xsl:call-template>
    </section>
    <xsl:variable name="other" select="$docs[count(. | $listed) != count($listed)]"/>
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
        <xsl:if test="$filter">
          <p class="filter">
            <label for="filter">Filter rows (all words must occur in the row)</label>
            <input type="search" id="filter" name="filter" data-filter="docs" autocomplete="off"/>
            <span id="filter-status" class="status" aria-live="polite"></span>
          </p>
        </xsl:if>
        <table class="sortable docs" id="docs">
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
            <xsl:for-each select="$set">
              <xsl:sort select="(tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1]"/>
              <xsl:sort select="@xml:id"/>
              <xsl:call-template name="doc-row"/>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="doc-row">
    <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
    <xsl:variable name="printed"><xsl:call-template name="meta-date-printed"/></xsl:variable>
    <xsl:variable name="type"><xsl:call-template name="meta-type"/></xsl:variable>
    <xsl:variable name="from"><xsl:call-template name="meta-agents"/></xsl:variable>
    <xsl:variable name="to"><xsl:call-template name="meta-agents"><xsl:with-param name="type" select="'received'"/></xsl:call-template></xsl:variable>
    <tr id="row-{@xml:id}">
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

  <!-- ===================== years and types ===================== -->
  <xsl:template name="years-page">
    <ul class="facets">
      <xsl:for-each select="$listed[generate-id() = generate-id(key('by-year', substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4))[1])]">
        <xsl:sort select="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
        <xsl:variable name="y" select="substring((tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@when | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@from | tei:teiHeader/tei:profileDesc/tei:creation/tei:date/@notBefore | tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date/@when)[1], 1, 4)"/>
        <xsl:if test="$y != ''">
          <li><a href="year-{$y}.html"><xsl:value-of select="$y"/></a> (<xsl:value-of select="count(key('by-year', $y)[count(. | $listed) = count($listed)])"/>)</li>
        </xsl:if>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template name="types-page">
    <ul class="facets">
      <xsl:for-each select="$listed[tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')]][generate-id() = generate-id(key('by-type', substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#'))[1])]">
        <xsl:sort select="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
        <xsl:variable name="t" select="substring-after(tei:teiHeader/tei:profileDesc/tei:textClass/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
        <li><a href="type-{$t}.html"><xsl:value-of select="translate($t, '-', ' ')"/></a> (<xsl:value-of select="count(key('by-type', $t)[count(. | $listed) = count($listed)])"/>)</li>
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
          <xsl:variable name="n" select="count(key('by-ref', concat($prefix, ':', @xml:id))/ancestor::tei:TEI[1])"/>
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
    <xsl:variable name="e" select="$set[@xml:id = $page-key][1]"/>
    <xsl:variable name="refs" select="key('by-ref', concat($prefix, ':', $page-key))"/>
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
      <xsl:with-param name="set" select="$refs/ancestor::tei:TEI[1][count(. | $docs) = count($docs)]"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
