<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit: one TEI file (TEI, teiCorpus or anything else) -> one HTML5 page (XSLT 1.0).
  Parameters are declared in common.xsl. Every element of tei:text is rendered: elements
  without a template here become <div class="tei-NAME"> or <span class="tei-NAME">; notes
  move to a list at the end with back links; choice/app show one reading and keep the
  others in a hidden span (and a tooltip).
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:exsl="http://exslt.org/common"
  xmlns:teix="http://www.tei-c.org/ns/Examples"
  xmlns:t="urn:teikit:functions"
  exclude-result-prefixes="tei exsl teix t">

  <xsl:import href="common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <!-- ===================== page ===================== -->
  <xsl:template match="/">
    <xsl:variable name="title">
      <xsl:for-each select="*[1]"><xsl:call-template name="meta-title"/></xsl:for-each>
    </xsl:variable>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="$title"/>
          <xsl:if test="$corpus-title != ''"><xsl:value-of select="concat(' — ', $corpus-title)"/></xsl:if>
        </title>
        <link rel="stylesheet" href="{$assets-href}teikit.css"/>
        <link rel="stylesheet" href="{$assets-href}teikit-text.css"/>
        <script src="{$assets-href}teikit.js" defer="defer"></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to text</a>
        <header class="site">
          <xsl:choose>
            <xsl:when test="$corpus-title != '' and $index-href != ''">
              <a href="{$index-href}"><xsl:value-of select="$corpus-title"/></a>
            </xsl:when>
            <xsl:when test="$corpus-title != ''"><xsl:value-of select="$corpus-title"/></xsl:when>
            <xsl:otherwise>TEI document</xsl:otherwise>
          </xsl:choose>
        </header>
        <xsl:call-template name="doc-nav"/>
        <main id="main">
          <xsl:apply-templates select="*" mode="page"/>
        </main>
        <footer class="site">Rendered from TEI P5 by teikit.</footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="doc-nav">
    <nav class="doc-nav" aria-label="Document">
      <ul>
        <xsl:if test="$index-href != ''">
          <li><a href="{$index-href}">Index</a></li>
        </xsl:if>
        <xsl:if test="$about-href != ''">
          <li><a href="{$about-href}">About this edition</a></li>
        </xsl:if>
        <xsl:if test="$prev-href != ''">
          <li class="prev"><span class="nav-label">Previous (by date)</span> <a rel="prev" href="{$prev-href}">← <xsl:value-of select="$prev-title"/></a></li>
        </xsl:if>
        <xsl:if test="$next-href != ''">
          <li class="next"><span class="nav-label">Next (by date)</span> <a rel="next" href="{$next-href}"><xsl:value-of select="$next-title"/> →</a></li>
        </xsl:if>
        <xsl:if test="$tei-href != ''">
          <li><a href="{$tei-href}" type="application/tei+xml">TEI</a></li>
        </xsl:if>
        <xsl:if test="$text-href != ''">
          <li><a href="{$text-href}" type="text/plain">Text</a></li>
        </xsl:if>
      </ul>
    </nav>
  </xsl:template>

  <!-- one TEI document: title, metadata panel, text, notes, citation -->
  <xsl:template match="tei:TEI" mode="page">
    <xsl:param name="level" select="1"/>
    <xsl:param name="path" select="''"/>
    <article class="tei-document">
      <xsl:if test="$path != ''">
        <xsl:attribute name="id"><xsl:value-of select="concat('member-', $path)"/></xsl:attribute>
        <xsl:if test="@xml:id"><span class="anchor" id="{@xml:id}"></span></xsl:if>
      </xsl:if>
      <xsl:element name="h{$level}">
        <xsl:call-template name="meta-title"/>
      </xsl:element>
      <xsl:apply-templates select="tei:teiHeader" mode="panel"/>
      <xsl:choose>
        <xsl:when test="tei:text">
          <xsl:call-template name="doc-toc"/>
          <xsl:call-template name="alternatives-switch"/>
          <section class="text" aria-label="Text">
            <xsl:call-template name="doc-lang"/>
            <xsl:apply-templates select="tei:text"/>
          </section>
          <xsl:call-template name="notes"/>
        </xsl:when>
        <xsl:otherwise>
          <p class="no-text">This file has no text; its header is summarised above.</p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$level = 1"><xsl:call-template name="cite"/></xsl:if>
    </article>
  </xsl:template>

  <!-- a corpus: its header, a contents page of its members (title, date, type), then every
       member; member anchors are 'member-' + the position path (member-2, member-2.3) -->
  <xsl:template match="tei:teiCorpus" mode="page">
    <xsl:param name="level" select="1"/>
    <xsl:param name="path" select="''"/>
    <article class="tei-corpus">
      <xsl:if test="$path != ''"><xsl:attribute name="id"><xsl:value-of select="concat('member-', $path)"/></xsl:attribute></xsl:if>
      <xsl:element name="h{$level}"><xsl:call-template name="meta-title"/></xsl:element>
      <xsl:apply-templates select="tei:teiHeader" mode="panel"/>
      <nav class="toc corpus-contents" aria-label="Contents">
        <h2>Contents <span class="count">(<xsl:value-of select="count(tei:TEI | tei:teiCorpus)"/> members)</span></h2>
        <ol>
          <xsl:for-each select="tei:TEI | tei:teiCorpus">
            <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
            <xsl:variable name="type"><xsl:call-template name="meta-type"/></xsl:variable>
            <li>
              <a href="#member-{concat($path, substring('.', 1, string-length($path)), position())}"><xsl:call-template name="meta-title"/></a>
              <xsl:if test="$iso != '' or $type != ''">
                <xsl:text> </xsl:text>
                <span class="toc-facts">
                  <xsl:value-of select="substring-before(concat($iso, '/'), '/')"/>
                  <xsl:if test="$iso != '' and $type != ''"> · </xsl:if>
                  <xsl:value-of select="translate($type, '-', ' ')"/>
                </span>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ol>
      </nav>
      <xsl:for-each select="tei:TEI | tei:teiCorpus">
        <xsl:apply-templates select="." mode="page">
          <xsl:with-param name="level" select="2"/>
          <xsl:with-param name="path" select="concat($path, substring('.', 1, string-length($path)), position())"/>
        </xsl:apply-templates>
      </xsl:for-each>
      <xsl:if test="$level = 1"><xsl:call-template name="cite"/></xsl:if>
    </article>
  </xsl:template>

  <!-- any other root element: rendered as text -->
  <xsl:template match="*" mode="page">
    <article class="tei-document">
      <xsl:apply-templates select="."/>
    </article>
  </xsl:template>

  <xsl:template name="doc-lang">
    <xsl:variable name="l" select="(ancestor-or-self::tei:TEI[1]/tei:text/@xml:lang | ancestor-or-self::tei:TEI[1]/@xml:lang | ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident)[last()]"/>
    <xsl:variable name="t" select="ancestor-or-self::tei:TEI[1]/tei:text/@xml:lang"/>
    <xsl:choose>
      <xsl:when test="$t"><xsl:attribute name="lang"><xsl:value-of select="$t"/></xsl:attribute></xsl:when>
      <xsl:when test="ancestor-or-self::tei:TEI[1]/@xml:lang">
        <xsl:attribute name="lang"><xsl:value-of select="ancestor-or-self::tei:TEI[1]/@xml:lang"/></xsl:attribute>
      </xsl:when>
      <xsl:when test="$l"><xsl:attribute name="lang"><xsl:value-of select="$l"/></xsl:attribute></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== metadata panel ===================== -->
  <xsl:template match="tei:teiHeader" mode="panel">
    <xsl:variable name="fd" select="tei:fileDesc"/>
    <xsl:variable name="pd" select="tei:profileDesc"/>
    <xsl:variable name="printed"><xsl:call-template name="meta-date-printed"/></xsl:variable>
    <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
    <xsl:variable name="type"><xsl:call-template name="meta-type"/></xsl:variable>
    <xsl:variable name="place"><xsl:call-template name="meta-place"/></xsl:variable>
    <xsl:variable name="class"><xsl:call-template name="meta-classification"/></xsl:variable>
    <xsl:variable name="shelf"><xsl:call-template name="meta-shelfmark"/></xsl:variable>
    <xsl:variable name="comp"><xsl:call-template name="meta-compilation"/></xsl:variable>
    <xsl:variable name="page"><xsl:call-template name="meta-page"/></xsl:variable>
    <xsl:variable name="date-el" select="($pd/tei:creation/tei:date | $pd/tei:correspDesc[last() = 1]/tei:correspAction[@type='sent']/tei:date)[1]"/>
    <details class="metadata" open="open" data-collapse-narrow="yes">
      <summary>
        <span class="summary-label">About this document</span>
        <xsl:if test="$iso != '' or $type != ''">
          <xsl:text> </xsl:text>
          <span class="summary-facts">
            <xsl:value-of select="substring-before(concat($iso, '/'), '/')"/>
            <xsl:if test="$iso != '' and $type != ''"> · </xsl:if>
            <xsl:value-of select="translate($type, '-', ' ')"/>
          </span>
        </xsl:if>
      </summary>
      <!-- the rows are built first, then only those whose value has text are written: no empty rows -->
      <xsl:variable name="rows-rtf">
        <xsl:if test="$printed != '' or $iso != ''">
          <dt>Date</dt>
          <dd>
            <xsl:if test="$printed != ''"><span class="date-printed"><xsl:value-of select="$printed"/></span></xsl:if>
            <xsl:if test="$iso != ''">
              <xsl:if test="$printed != ''"><xsl:text> </xsl:text></xsl:if>
              <time class="date-iso" datetime="{substring-before(concat($iso, '/'), '/')}">
                <xsl:choose>
                  <xsl:when test="$printed != ''">(<xsl:value-of select="$iso"/>)</xsl:when>
                  <xsl:otherwise><xsl:value-of select="$iso"/></xsl:otherwise>
                </xsl:choose>
              </time>
            </xsl:if>
            <xsl:if test="$date-el/@cert"><span class="cert"> certainty: <xsl:value-of select="$date-el/@cert"/></span></xsl:if>
          </dd>
        </xsl:if>
        <xsl:if test="$type != ''">
          <dt>Type</dt><dd class="doc-type"><xsl:value-of select="translate($type, '-', ' ')"/></dd>
        </xsl:if>
        <xsl:for-each select="$pd/tei:correspDesc">
          <dt>From → to</dt>
          <dd class="corresp">
            <xsl:for-each select="tei:correspAction[@type='sent']">
              <xsl:call-template name="agent-list"/>
            </xsl:for-each>
            <xsl:if test="tei:correspAction[@type='received']">
              <xsl:text> → </xsl:text>
              <xsl:for-each select="tei:correspAction[@type='received']">
                <xsl:call-template name="agent-list"/>
              </xsl:for-each>
            </xsl:if>
          </dd>
        </xsl:for-each>
        <xsl:if test="$pd/tei:particDesc//tei:person | $pd/tei:particDesc//tei:org">
          <dt>Participants</dt>
          <dd class="participants">
            <xsl:for-each select="$pd/tei:particDesc//tei:person | $pd/tei:particDesc//tei:org">
              <xsl:if test="position() &gt; 1">; </xsl:if>
              <xsl:choose>
                <xsl:when test="tei:persName | tei:orgName | tei:name">
                  <xsl:apply-templates select="(tei:persName | tei:orgName | tei:name)[1]" mode="entity"/>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
              </xsl:choose>
              <xsl:if test="@role"> (<xsl:value-of select="@role"/>)</xsl:if>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:if test="$place != ''">
          <dt>Place</dt>
          <dd>
            <xsl:apply-templates select="($pd/tei:creation/tei:placeName | $pd/tei:correspDesc[last() = 1]/tei:correspAction[@type='sent']/tei:placeName)[1]" mode="entity"/>
          </dd>
        </xsl:if>
        <xsl:if test="$class != ''">
          <dt>Classification</dt><dd class="classification"><xsl:value-of select="$class"/></dd>
        </xsl:if>
        <xsl:if test="$shelf != ''">
          <dt>Archival reference</dt>
          <dd class="shelfmark">
            <span class="part normalised"><xsl:value-of select="$shelf"/></span>
            <xsl:variable name="ms" select="$fd/tei:sourceDesc//tei:msDesc"/>
            <!-- the line as printed: altIdentifier[@type='as-printed'] when there is one (msDesc/p
                 is then an editorial note), else msDesc/p or ab (ENCODING.md: kept in the msDesc) -->
            <xsl:for-each select="$ms">
              <xsl:variable name="alt" select="tei:msIdentifier/tei:altIdentifier[@type='as-printed' or @type='printed']"/>
              <xsl:for-each select="$alt | tei:p[not($alt)] | tei:ab[not($alt)]">
                <xsl:text> </xsl:text>
                <span class="part"><span class="part-label">As printed</span><xsl:text> </xsl:text><span class="printed"><xsl:value-of select="normalize-space(.)"/></span></span>
              </xsl:for-each>
              <xsl:for-each select="(tei:p | tei:ab)[$alt]">
                <xsl:text> </xsl:text>
                <span class="part"><span class="part-label">Note</span><xsl:text> </xsl:text><span class="ms-note"><xsl:value-of select="normalize-space(.)"/></span></span>
              </xsl:for-each>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[@type='publication']">
          <dt>Earlier publication</dt>
          <dd class="publication"><xsl:call-template name="publication"/></dd>
        </xsl:for-each>
        <xsl:if test="$comp != ''">
          <dt>Compilation</dt>
          <dd class="compilation">
            <xsl:value-of select="$comp"/>
            <xsl:if test="$page != ''">, p. <xsl:value-of select="$page"/></xsl:if>
          </dd>
        </xsl:if>
        <xsl:if test="$fd/tei:titleStmt/tei:author">
          <dt>Author</dt>
          <dd>
            <xsl:for-each select="$fd/tei:titleStmt/tei:author">
              <xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:if test="$fd/tei:titleStmt/tei:editor | $fd/tei:titleStmt/tei:respStmt">
          <dt>Edited by</dt>
          <dd>
            <xsl:for-each select="$fd/tei:titleStmt/tei:editor | $fd/tei:titleStmt/tei:respStmt">
              <xsl:if test="position() &gt; 1">; </xsl:if>
              <xsl:choose>
                <xsl:when test="self::tei:respStmt">
                  <xsl:value-of select="normalize-space(tei:resp)"/>: <xsl:for-each select="tei:persName | tei:name | tei:orgName"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="normalize-space(.)"/></xsl:for-each>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:for-each select="$fd/tei:publicationStmt">
          <xsl:if test="tei:publisher | tei:authority | tei:distributor">
            <dt>Published by</dt>
            <dd>
              <xsl:for-each select="tei:publisher | tei:authority | tei:distributor">
                <xsl:if test="position() &gt; 1">; </xsl:if><xsl:value-of select="normalize-space(.)"/>
              </xsl:for-each>
              <xsl:for-each select="tei:pubPlace | tei:date">
                <xsl:text>, </xsl:text><xsl:value-of select="normalize-space(.)"/>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:for-each select="tei:idno">
            <dt>Identifier<xsl:if test="@type"> (<xsl:value-of select="@type"/>)</xsl:if></dt>
            <dd class="idno"><xsl:value-of select="normalize-space(.)"/></dd>
          </xsl:for-each>
          <xsl:for-each select="tei:availability/tei:licence">
            <dt>Licence</dt>
            <dd>
              <xsl:choose>
                <xsl:when test="@target">
                  <xsl:variable name="href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="@target"/></xsl:call-template></xsl:variable>
                  <xsl:variable name="label"><xsl:choose><xsl:when test="normalize-space(.) != ''"><xsl:value-of select="normalize-space(.)"/></xsl:when><xsl:otherwise><xsl:value-of select="@target"/></xsl:otherwise></xsl:choose></xsl:variable>
                  <xsl:choose>
                    <xsl:when test="$href != ''"><a href="{$href}"><xsl:value-of select="$label"/></a></xsl:when>
                    <xsl:otherwise><span class="unsafe-link"><xsl:value-of select="$label"/></span></xsl:otherwise>
                  </xsl:choose>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
              </xsl:choose>
            </dd>
          </xsl:for-each>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[@type='digitalSource']">
          <dt>Source file</dt>
          <dd class="source">
            <xsl:value-of select="normalize-space(.)"/>
            <xsl:for-each select=".//tei:citedRange[@unit='line'][@from]">
              <xsl:value-of select="concat(', lines ', @from)"/>
              <xsl:if test="@to and @to != @from"><xsl:value-of select="concat('–', @to)"/></xsl:if>
            </xsl:for-each>
          </dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[not(@type='publication' or @type='compilation' or @type='digitalSource')] | $fd/tei:sourceDesc/tei:biblStruct | $fd/tei:sourceDesc/tei:biblFull/tei:titleStmt | $fd/tei:sourceDesc/tei:p">
          <dt>Source</dt><dd class="source"><xsl:value-of select="normalize-space(.)"/></dd>
        </xsl:for-each>
        <xsl:if test="$pd/tei:langUsage/tei:language">
          <dt>Language</dt>
          <dd>
            <xsl:for-each select="$pd/tei:langUsage/tei:language">
              <xsl:if test="position() &gt; 1">, </xsl:if>
              <xsl:choose>
                <xsl:when test="normalize-space(.) != ''"><xsl:value-of select="normalize-space(.)"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="@ident"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:for-each select="$pd/tei:abstract">
          <dt>Summary</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
        </xsl:for-each>
      </xsl:variable>
      <dl>
        <xsl:for-each select="exsl:node-set($rows-rtf)/dt">
          <xsl:variable name="dd" select="following-sibling::*[1][self::dd]"/>
          <xsl:if test="normalize-space($dd) != ''">
            <xsl:copy-of select=". | $dd"/>
          </xsl:if>
        </xsl:for-each>
      </dl>
    </details>
  </xsl:template>

  <!-- an earlier publication (context: bibl[@type='publication']): the note as printed, then
       the parts read from it (title, issue, date, pages), each labelled; a bibl without a
       note as printed is shown as it stands -->
  <xsl:template name="publication">
    <xsl:variable name="printed" select="tei:note[@type='as-printed' or @type='printed']"/>
    <xsl:variable name="parts" select="tei:title | tei:biblScope | tei:date | tei:pubPlace | tei:publisher"/>
    <xsl:choose>
      <xsl:when test="$printed">
        <span class="part"><span class="part-label">As printed</span><xsl:text> </xsl:text><span class="printed"><xsl:value-of select="normalize-space($printed[1])"/></span></span>
        <xsl:if test="$parts">
          <xsl:text> </xsl:text>
          <span class="part parsed">
            <span class="part-label">Read as</span>
            <xsl:text> </xsl:text>
            <xsl:for-each select="$parts">
              <xsl:if test="position() &gt; 1">; </xsl:if>
              <xsl:choose>
                <xsl:when test="self::tei:title">title</xsl:when>
                <xsl:when test="self::tei:date">date</xsl:when>
                <xsl:when test="self::tei:pubPlace">place</xsl:when>
                <xsl:when test="self::tei:publisher">publisher</xsl:when>
                <xsl:when test="@unit = 'page'">pages</xsl:when>
                <xsl:when test="@unit"><xsl:value-of select="@unit"/></xsl:when>
                <xsl:otherwise>scope</xsl:otherwise>
              </xsl:choose>
              <xsl:text> </xsl:text>
              <span class="value">
                <xsl:choose>
                  <xsl:when test="self::tei:date and (@when or @from or @notBefore)"><xsl:call-template name="iso-of"><xsl:with-param name="d" select="."/></xsl:call-template></xsl:when>
                  <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
                </xsl:choose>
              </span>
            </xsl:for-each>
          </span>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- persons/orgs of a correspAction, with place and date -->
  <xsl:template name="agent-list">
    <xsl:for-each select="tei:persName | tei:orgName | tei:name | tei:roleName">
      <xsl:if test="position() &gt; 1">; </xsl:if>
      <xsl:apply-templates select="." mode="entity"/>
    </xsl:for-each>
    <xsl:if test="tei:placeName | tei:date">
      <xsl:text> (</xsl:text>
      <xsl:for-each select="tei:placeName | tei:date">
        <xsl:if test="position() &gt; 1">, </xsl:if>
        <xsl:apply-templates select="." mode="entity"/>
      </xsl:for-each>
      <xsl:text>)</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- a name in the panel, linked by @ref (URL, or prefixed key with $entity-href) -->
  <xsl:template match="*" mode="entity">
    <xsl:variable name="ref" select="normalize-space(substring-before(concat(@ref, ' '), ' '))"/>
    <xsl:variable name="text" select="normalize-space(.)"/>
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="$text = '' and (@when or @from or @notBefore)"><xsl:call-template name="iso-of"><xsl:with-param name="d" select="."/></xsl:call-template></xsl:when>
        <xsl:otherwise><xsl:call-template name="pointed-name"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="starts-with($ref, 'http://') or starts-with($ref, 'https://')">
        <a class="entity" href="{normalize-space($ref)}"><xsl:value-of select="$label"/></a>
      </xsl:when>
      <xsl:when test="$entity-href != '' and contains($ref, ':')">
        <a class="entity" href="{$entity-href}{translate($ref, ':', '-')}.html"><xsl:value-of select="$label"/></a>
      </xsl:when>
      <xsl:otherwise><span class="entity"><xsl:value-of select="$label"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== notes at the end ===================== -->
  <xsl:template name="notes">
    <xsl:variable name="notes" select="tei:text//tei:note[not(@place='inline')][not(ancestor::tei:listApp)]"/>
    <xsl:if test="$notes">
      <section class="notes" aria-label="Notes">
        <h2>Notes</h2>
        <ol class="footnotes">
          <xsl:for-each select="$notes">
            <xsl:variable name="id"><xsl:call-template name="note-id"/></xsl:variable>
            <li id="fn-{$id}">
              <span class="note-label"><xsl:call-template name="note-label"/></span>
              <xsl:text> </xsl:text>
              <div class="note-body"><xsl:call-template name="atts-lang"/><xsl:apply-templates/></div>
              <xsl:text> </xsl:text>
              <xsl:if test="(@xml:id and $pointing and key('pointers-to', @xml:id)) or not(parent::tei:div or parent::tei:body or parent::tei:front or parent::tei:back)">
                <a class="backlink" href="#fnref-{$id}" aria-label="Back to the text">↩</a>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===================== cite this document ===================== -->
  <xsl:template name="cite">
    <xsl:variable name="id"><xsl:call-template name="meta-doc-id"/></xsl:variable>
    <xsl:variable name="key"><xsl:choose><xsl:when test="$id != ''"><xsl:value-of select="translate($id, ' {},', '____')"/></xsl:when><xsl:otherwise>document</xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="title"><xsl:call-template name="meta-title"/></xsl:variable>
    <xsl:variable name="from"><xsl:call-template name="meta-agents"/></xsl:variable>
    <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
    <xsl:variable name="comp"><xsl:call-template name="meta-compilation"/></xsl:variable>
    <xsl:variable name="page"><xsl:call-template name="meta-page"/></xsl:variable>
    <xsl:variable name="url"><xsl:call-template name="meta-stable-url"/></xsl:variable>
    <xsl:variable name="start" select="substring-before(concat($iso, '/'), '/')"/>
    <section class="cite" aria-labelledby="cite-h">
      <h2 id="cite-h">Cite this document</h2>
      <p class="citation" id="cite-text"><xsl:choose>
        <xsl:when test="$cite-text != ''"><xsl:value-of select="$cite-text"/></xsl:when>
        <xsl:otherwise><xsl:call-template name="citation"/></xsl:otherwise>
      </xsl:choose></p>
      <h3>BibTeX</h3>
      <pre class="bibtex" id="cite-bibtex"><xsl:choose>
        <xsl:when test="$cite-bibtex != ''"><xsl:value-of select="$cite-bibtex"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="concat('@misc{', $key, ',&#10;')"/>
        <xsl:value-of select="concat('  title = {', $title, '},&#10;')"/>
        <xsl:if test="$from != ''"><xsl:value-of select="concat('  author = {', $from, '},&#10;')"/></xsl:if>
        <xsl:if test="$start != ''"><xsl:value-of select="concat('  date = {', $iso, '},&#10;  year = {', substring($start, 1, 4), '},&#10;')"/></xsl:if>
        <xsl:if test="$comp != ''"><xsl:value-of select="concat('  howpublished = {In: ', $comp)"/><xsl:if test="$page != ''"><xsl:value-of select="concat(', p. ', $page)"/></xsl:if><xsl:text>},&#10;</xsl:text></xsl:if>
        <xsl:if test="$corpus-title != ''"><xsl:value-of select="concat('  note = {', $corpus-title)"/><xsl:if test="$corpus-version != ''"><xsl:value-of select="concat(', version ', $corpus-version)"/></xsl:if><xsl:text>},&#10;</xsl:text></xsl:if>
        <xsl:if test="$url != ''"><xsl:value-of select="concat('  url = {', $url, '},&#10;')"/></xsl:if>
        <xsl:text>}</xsl:text>
      </xsl:otherwise></xsl:choose></pre>
      <h3>CSL-JSON</h3>
      <pre class="csl-json" id="cite-csl"><xsl:choose>
        <xsl:when test="$cite-csl != ''"><xsl:value-of select="$cite-csl"/></xsl:when>
        <xsl:otherwise>
        <xsl:text>{&#10;  "id": </xsl:text>
        <xsl:call-template name="json-string"><xsl:with-param name="s" select="$key"/></xsl:call-template>
        <xsl:text>,&#10;  "type": "document",&#10;  "title": </xsl:text>
        <xsl:call-template name="json-string"><xsl:with-param name="s" select="$title"/></xsl:call-template>
        <xsl:if test="$from != ''">
          <xsl:text>,&#10;  "author": [{"literal": </xsl:text>
          <xsl:call-template name="json-string"><xsl:with-param name="s" select="$from"/></xsl:call-template>
          <xsl:text>}]</xsl:text>
        </xsl:if>
        <xsl:if test="string-length($start) &gt;= 4 and number(substring($start, 1, 4)) = number(substring($start, 1, 4))">
          <xsl:text>,&#10;  "issued": {"date-parts": [[</xsl:text>
          <xsl:value-of select="number(substring($start, 1, 4))"/>
          <xsl:if test="string-length($start) &gt;= 7"><xsl:value-of select="concat(', ', number(substring($start, 6, 2)))"/></xsl:if>
          <xsl:if test="string-length($start) &gt;= 10"><xsl:value-of select="concat(', ', number(substring($start, 9, 2)))"/></xsl:if>
          <xsl:text>]]}</xsl:text>
        </xsl:if>
        <xsl:if test="$comp != ''">
          <xsl:text>,&#10;  "container-title": </xsl:text>
          <xsl:call-template name="json-string"><xsl:with-param name="s" select="$comp"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="$page != ''">
          <xsl:text>,&#10;  "page": </xsl:text>
          <xsl:call-template name="json-string"><xsl:with-param name="s" select="$page"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="$corpus-title != ''">
          <xsl:text>,&#10;  "collection-title": </xsl:text>
          <xsl:call-template name="json-string"><xsl:with-param name="s" select="$corpus-title"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="$corpus-version != ''">
          <xsl:text>,&#10;  "version": </xsl:text>
          <xsl:call-template name="json-string"><xsl:with-param name="s" select="$corpus-version"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="$url != ''">
          <xsl:text>,&#10;  "URL": </xsl:text>
          <xsl:call-template name="json-string"><xsl:with-param name="s" select="$url"/></xsl:call-template>
        </xsl:if>
        <xsl:text>&#10;}</xsl:text>
      </xsl:otherwise></xsl:choose></pre>
      <p class="copy-buttons"><button type="button" class="copy" data-copy="cite-text">Copy citation</button>
        <xsl:text> </xsl:text><button type="button" class="copy" data-copy="cite-bibtex">Copy BibTeX</button>
        <xsl:text> </xsl:text><button type="button" class="copy" data-copy="cite-csl">Copy CSL-JSON</button></p>
    </section>
  </xsl:template>

  <!-- ===================== the text ===================== -->

  <!-- id, lang and dir of the source element -->
  <xsl:template name="atts">
    <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
    <xsl:call-template name="atts-lang"/>
  </xsl:template>
  <!-- xml:lang as lang; dir from @dir (ltr, rtl, auto) or from the language: rtl for a
       right-to-left language, ltr for another language inside a right-to-left one -->
  <xsl:template name="atts-lang">
    <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
    <xsl:choose>
      <xsl:when test="@dir = 'ltr' or @dir = 'rtl' or @dir = 'auto'"><xsl:attribute name="dir"><xsl:value-of select="@dir"/></xsl:attribute></xsl:when>
      <xsl:when test="@xml:lang">
        <xsl:variable name="rtl"><xsl:call-template name="is-rtl"><xsl:with-param name="l" select="@xml:lang"/></xsl:call-template></xsl:variable>
        <xsl:variable name="outer"><xsl:call-template name="is-rtl"><xsl:with-param name="l" select="ancestor::*[@xml:lang][1]/@xml:lang"/></xsl:call-template></xsl:variable>
        <xsl:if test="$rtl != $outer">
          <xsl:attribute name="dir"><xsl:value-of select="substring('ltrrtl', 1 + 3 * number($rtl = 'yes'), 3)"/></xsl:attribute>
        </xsl:if>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- 'yes' when the language tag $l is written right to left (by language or script subtag) -->
  <xsl:variable name="rtl-langs" select="' ar arc ckb dv fa he iw ji khw ks ku ps sd syr ug ur yi '"/>
  <xsl:template name="is-rtl">
    <xsl:param name="l"/>
    <xsl:variable name="t" select="concat(translate($l, $UPPER, $LOWER), '-')"/>
    <xsl:choose>
      <xsl:when test="contains($rtl-langs, concat(' ', substring-before($t, '-'), ' ')) and not(contains($t, '-latn-'))">yes</xsl:when>
      <xsl:when test="contains($t, '-arab-') or contains($t, '-hebr-') or contains($t, '-syrc-') or contains($t, '-thaa-')">yes</xsl:when>
      <xsl:otherwise>no</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- @rend and @rendition as classes: ' rend-TOKEN' per token of @rend, ' rendition-ID' per
       pointer of @rendition ('#ID') -->
  <xsl:template name="rend-classes">
    <xsl:if test="@rend">
      <xsl:call-template name="classes-of">
        <xsl:with-param name="tokens" select="concat(normalize-space(@rend), ' ')"/>
        <xsl:with-param name="prefix" select="'rend-'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="@rendition">
      <xsl:call-template name="classes-of">
        <xsl:with-param name="tokens" select="concat(normalize-space(translate(@rendition, '#', ' ')), ' ')"/>
        <xsl:with-param name="prefix" select="'rendition-'"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>
  <xsl:template name="classes-of">
    <xsl:param name="tokens"/>
    <xsl:param name="prefix"/>
    <xsl:if test="normalize-space($tokens) != ''">
      <xsl:value-of select="concat(' ', $prefix, translate(substring-before($tokens, ' '), '.:;,()[]{}&quot;&lt;&gt;', '_____________'))"/>
      <xsl:call-template name="classes-of">
        <xsl:with-param name="tokens" select="substring-after($tokens, ' ')"/>
        <xsl:with-param name="prefix" select="$prefix"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- the names that make most elements of a text, when they hold no element and are not a
       child of body, div, front or back: inline (t:is-block() is false for them) and not word
       separators, so the template below makes each a span; made here without asking
       t:is-block() (a priority below every name test: a template for the name wins). The
       pattern has no predicate (libxslt evaluates a pattern's predicates one by one, each
       with its own set-up): the test is one expression inside, and a name it is not true
       of gets what the * template gives -->
  <xsl:template match="tei:placeName | tei:persName | tei:orgName" priority="-0.25">
    <xsl:choose>
      <xsl:when test="not(*) and not(parent::tei:body or parent::tei:div or parent::tei:front or parent::tei:back)">
        <!-- wrap's span (el 'span', no class of the caller), written out: a literal result
             element instead of a call and xsl:element, for the most frequent element -->
        <span>
          <xsl:attribute name="class">
            <xsl:value-of select="concat('tei-', local-name())"/>
            <xsl:if test="@rend or @rendition"><xsl:call-template name="rend-classes"/></xsl:if>
          </xsl:attribute>
          <xsl:if test="@xml:id or @xml:lang or @dir"><xsl:call-template name="atts"/></xsl:if>
          <xsl:apply-templates/>
        </span>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="any-element"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- any element without its own template: div or span with the TEI name as class -->
  <xsl:template match="*">
    <xsl:call-template name="any-element"/>
  </xsl:template>
  <xsl:template name="any-element">
    <xsl:variable name="block" select="t:is-block()"/>
    <xsl:variable name="between-words" select="not($block) and contains($word-separators, concat(' ', local-name(), ' '))"/>
    <xsl:if test="$between-words"><xsl:text> </xsl:text></xsl:if>
    <xsl:call-template name="wrap">
      <xsl:with-param name="el" select="substring('spandiv', 1 + 4 * $block, 4 - $block)"/>
    </xsl:call-template>
    <xsl:if test="$between-words"><xsl:call-template name="space-after-word"/></xsl:if>
  </xsl:template>

  <!-- $el with class tei-NAME (plus $class), id, lang and the children -->
  <xsl:template name="wrap">
    <xsl:param name="el" select="'span'"/>
    <xsl:param name="class" select="''"/>
    <xsl:element name="{$el}">
      <xsl:attribute name="class">
        <xsl:value-of select="concat('tei-', local-name())"/>
        <xsl:if test="$class != ''"><xsl:value-of select="concat(' ', $class)"/></xsl:if>
        <xsl:if test="@rend or @rendition"><xsl:call-template name="rend-classes"/></xsl:if>
      </xsl:attribute>
      <xsl:if test="@xml:id or @xml:lang or @dir"><xsl:call-template name="atts"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- inline elements that become a div when they hold blocks -->
  <xsl:template name="inline-or-block">
    <xsl:param name="el"/>
    <xsl:param name="class" select="''"/>
    <xsl:variable name="layout"><xsl:call-template name="layout"/></xsl:variable>
    <xsl:call-template name="wrap">
      <xsl:with-param name="el">
        <xsl:choose><xsl:when test="$layout = 'block'">div</xsl:when><xsl:otherwise><xsl:value-of select="$el"/></xsl:otherwise></xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class" select="$class"/>
    </xsl:call-template>
  </xsl:template>

  <!-- a division is a section anchored for the contents: its xml:id, else sec-N -->
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7">
    <section>
      <xsl:attribute name="class">
        <xsl:value-of select="concat('tei-', local-name())"/>
        <xsl:if test="@type"><xsl:value-of select="concat(' type-', translate(@type, ' ', '_'))"/></xsl:if>
        <xsl:call-template name="rend-classes"/>
      </xsl:attribute>
      <xsl:attribute name="id"><xsl:call-template name="div-anchor"/></xsl:attribute>
      <xsl:call-template name="atts-lang"/>
      <!-- EpiDoc's divisions have no head: their type is their label -->
      <xsl:if test="not(tei:head) and contains(' edition translation commentary apparatus bibliography ', concat(' ', @type, ' '))">
        <h2 class="div-label"><xsl:value-of select="concat(translate(substring(@type, 1, 1), $LOWER, $UPPER), substring(@type, 2))"/><xsl:if test="@subtype"><xsl:value-of select="concat(' (', translate(@subtype, '-_', '  '), ')')"/></xsl:if></h2>
      </xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- ===================== contents of a long text =====================
       Every division with a head, nested as the divisions are, linked to its anchor; shown
       when the text has at least three of them. On a wide screen it stays beside the text. -->
  <xsl:template name="doc-toc">
    <!-- the divisions below tei:text with a head: the parents of its heads that are divisions
         (found from the heads, not by a predicate on every element) -->
    <xsl:variable name="headed" select="tei:text//tei:head/parent::tei:*[contains(' div div1 div2 div3 div4 div5 div6 div7 ', concat(' ', local-name(), ' '))]"/>
    <xsl:if test="count($headed) &gt;= 3">
      <nav class="toc doc-toc" aria-label="Contents">
        <details open="open" data-collapse-narrow="yes">
          <summary>Contents <span class="count">(<xsl:value-of select="count($headed)"/> sections)</span></summary>
          <ol><xsl:apply-templates select="tei:text/*" mode="toc"/></ol>
        </details>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:text" mode="toc">
    <xsl:apply-templates select="*" mode="toc"/>
  </xsl:template>
  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" mode="toc">
    <xsl:variable name="sub"><xsl:apply-templates select="*" mode="toc"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="tei:head">
        <xsl:variable name="label"><xsl:apply-templates select="tei:head[1]" mode="toc-text"/></xsl:variable>
        <li>
          <a><xsl:attribute name="href">#<xsl:call-template name="div-anchor"/></xsl:attribute>
            <xsl:choose>
              <xsl:when test="normalize-space($label) != ''"><xsl:value-of select="normalize-space($label)"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="concat(local-name(), ' ', @n)"/></xsl:otherwise>
            </xsl:choose>
          </a>
          <xsl:if test="string($sub) != ''"><ol><xsl:copy-of select="$sub"/></ol></xsl:if>
        </li>
      </xsl:when>
      <xsl:otherwise><xsl:copy-of select="$sub"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="*" mode="toc"/>
  <!-- a head's words for the contents: no notes, a space for a line break -->
  <xsl:template match="tei:note | tei:figure" mode="toc-text"/>
  <xsl:template match="tei:lb" mode="toc-text"><xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if></xsl:template>
  <xsl:template match="tei:choice" mode="toc-text">
    <xsl:variable name="pref"><xsl:call-template name="choice-preferred-name"/></xsl:variable>
    <xsl:apply-templates select="*[local-name() = $pref][1]" mode="toc-text"/>
  </xsl:template>
  <xsl:template match="tei:app" mode="toc-text">
    <xsl:apply-templates select="(tei:lem | tei:rdg)[1]" mode="toc-text"/>
  </xsl:template>

  <!-- a switch that shows every alternative reading of choice and app (teikit-text.css);
       without it a reading's alternatives show on focus (click or Tab) and in its tooltip -->
  <xsl:template name="alternatives-switch">
    <xsl:if test="tei:text//tei:choice or tei:text//tei:app"><!-- not a union (libxml2 merges unions in quadratic time), nor a predicate evaluated per element: two name tests -->
      <p class="alternatives-switch"><label><input type="checkbox" class="show-alternatives"/> Show alternative readings (corrections, regularisations, abbreviations, variants)</label></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:variable name="depth" select="count(ancestor::tei:div | ancestor::tei:div1 | ancestor::tei:div2 | ancestor::tei:div3 | ancestor::tei:div4 | ancestor::tei:div5 | ancestor::tei:div6 | ancestor::tei:div7 | ancestor::tei:floatingText)"/>
    <xsl:variable name="level">
      <xsl:choose>
        <xsl:when test="$depth + 1 &gt; 6">6</xsl:when>
        <xsl:when test="$depth + 1 &lt; 2">2</xsl:when>
        <xsl:otherwise><xsl:value-of select="$depth + 1"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="parent::tei:div or parent::tei:div1 or parent::tei:div2 or parent::tei:div3 or parent::tei:div4 or parent::tei:div5 or parent::tei:div6 or parent::tei:div7 or parent::tei:body or parent::tei:front or parent::tei:back">
        <xsl:call-template name="wrap"><xsl:with-param name="el" select="concat('h', $level)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="wrap"><xsl:with-param name="el" select="'div'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the heading of a document as printed (ENCODING.md: div[@type='document']/head): the
       page's h1 is the cleaned title, so the printed heading is shown once, labelled -->
  <xsl:template match="tei:text/tei:body/tei:div[@type='document']/tei:head">
    <div class="printed-heading">
      <span class="printed-label">Heading as printed</span>
      <xsl:text> </xsl:text>
      <xsl:call-template name="wrap"><xsl:with-param name="el" select="'div'"/></xsl:call-template>
    </div>
  </xsl:template>

  <!-- p is <p> unless it holds a block (a list, a quoted letter): then <div class="tei-p"> -->
  <xsl:template match="tei:p">
    <xsl:call-template name="wrap">
      <xsl:with-param name="el">
        <xsl:choose>
          <xsl:when test=".//*[contains($block-names, concat(' ', local-name(), ' '))][count(ancestor::tei:note) = count(current()/ancestor::tei:note)]">div</xsl:when>
          <xsl:otherwise>p</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lb">
    <xsl:if test="not(@break = 'no') and not(ancestor::tei:w)"><br/></xsl:if>
  </xsl:template>
  <!-- a line break between blocks (DTA: div/lb before each p) ends no line of text: a <br>
       there would add an empty line between the paragraphs -->
  <xsl:template match="tei:lb[parent::tei:div or parent::tei:div1 or parent::tei:div2 or parent::tei:div3 or parent::tei:div4 or parent::tei:div5 or parent::tei:div6 or parent::tei:div7 or parent::tei:body or parent::tei:front or parent::tei:back or parent::tei:text]">
    <xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- page breaks: a marker in the margin, the number shown by CSS from data-n (so that the
       number is no word of the text); a link to the facsimile when @facs is a safe URL or
       points ('#id') to a surface/graphic with one; $facs-base is put before a relative @facs -->
  <xsl:template match="tei:pb">
    <xsl:variable name="f" select="normalize-space(substring-before(concat(normalize-space(@facs), ' '), ' '))"/>
    <xsl:variable name="target" select="key('by-id', substring-after($f, '#'))/.."/>
    <xsl:variable name="url">
      <xsl:choose>
        <xsl:when test="starts-with($f, '#')"><xsl:value-of select="($target/@url | $target/tei:graphic/@url | $target/*/tei:graphic/@url)[1]"/></xsl:when>
        <xsl:when test="$f != '' and $facs-base != '' and not(contains($f, ':'))"><xsl:value-of select="concat($facs-base, $f)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$f"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="$url"/><xsl:with-param name="rebase" select="$facs-base = ''"/></xsl:call-template></xsl:variable>
    <xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if>
    <xsl:element name="{substring('aspan', 1 + number($href = ''), 1 + 3 * number($href = ''))}">
      <xsl:attribute name="class">tei-pb<xsl:if test="$f != '' and $href = ''"> unsafe-link</xsl:if></xsl:attribute>
      <xsl:call-template name="atts"/>
      <xsl:if test="@n"><xsl:attribute name="data-n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:if test="$href != ''">
        <xsl:attribute name="href"><xsl:value-of select="$href"/></xsl:attribute>
        <xsl:attribute name="title">Facsimile of page <xsl:value-of select="@n"/></xsl:attribute>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone">
    <span class="tei-{local-name()}">
      <xsl:call-template name="atts"/>
      <xsl:if test="@n"><xsl:attribute name="data-n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="tei:hi">
    <xsl:variable name="r" select="concat(' ', @rend, ' ', @rendition, ' ')"/>
    <xsl:call-template name="inline-or-block">
      <xsl:with-param name="el">
        <xsl:choose>
          <xsl:when test="contains($r, 'sup')">sup</xsl:when>
          <xsl:when test="contains($r, 'sub')">sub</xsl:when>
          <xsl:when test="contains($r, 'bold')">b</xsl:when>
          <xsl:when test="contains($r, 'italic')">i</xsl:when>
          <xsl:otherwise>span</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:emph">
    <xsl:call-template name="inline-or-block"><xsl:with-param name="el" select="'em'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:text//tei:title | tei:foreign | tei:mentioned | tei:term">
    <xsl:call-template name="inline-or-block"><xsl:with-param name="el" select="'i'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:quote">
    <xsl:variable name="layout"><xsl:call-template name="layout"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$layout = 'block'">
        <xsl:call-template name="wrap"><xsl:with-param name="el" select="'blockquote'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="wrap"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- lists: ul/ol of li, or dl when items have labels; other children kept in place -->
  <xsl:template match="tei:list">
    <div class="tei-list">
      <xsl:call-template name="atts"/>
      <xsl:apply-templates select="tei:head"/>
      <xsl:choose>
        <xsl:when test="tei:label">
          <dl><xsl:apply-templates select="node()[not(self::tei:head)]" mode="dl"/></dl>
        </xsl:when>
        <xsl:otherwise>
          <xsl:element name="{substring('ulol', 1 + 2 * number(contains(@type, 'order') or contains(@rend, 'number')), 2)}">
            <xsl:apply-templates select="node()[not(self::tei:head)]" mode="list"/>
          </xsl:element>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>
  <xsl:template match="tei:item" mode="list">
    <li><xsl:call-template name="atts"/><xsl:if test="@n"><xsl:attribute name="data-n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if><xsl:apply-templates/></li>
  </xsl:template>
  <xsl:template match="*" mode="list">
    <li class="list-other"><xsl:apply-templates select="."/></li>
  </xsl:template>
  <xsl:template match="text()" mode="list">
    <xsl:if test="normalize-space(.) != ''"><li class="list-other"><xsl:value-of select="."/></li></xsl:if>
  </xsl:template>
  <xsl:template match="tei:label" mode="dl">
    <dt><xsl:call-template name="atts"/><xsl:apply-templates/></dt>
  </xsl:template>
  <xsl:template match="tei:item" mode="dl">
    <dd><xsl:call-template name="atts"/><xsl:apply-templates/></dd>
  </xsl:template>
  <xsl:template match="*" mode="dl">
    <dd class="list-other"><xsl:apply-templates select="."/></dd>
  </xsl:template>
  <xsl:template match="text()" mode="dl">
    <xsl:if test="normalize-space(.) != ''"><dd class="list-other"><xsl:value-of select="."/></dd></xsl:if>
  </xsl:template>
  <xsl:template match="tei:item">
    <xsl:call-template name="wrap"><xsl:with-param name="el" select="'div'"/></xsl:call-template>
  </xsl:template>

  <!-- egXML: the example's markup as code (see eg-markup in common.xsl) -->
  <xsl:template match="teix:egXML | tei:egXML">
    <pre class="tei-egXML">
      <xsl:call-template name="atts"/>
      <code><xsl:apply-templates mode="eg-markup"/></code>
    </pre>
  </xsl:template>

  <!-- the entries of a bibliography (listBibl) each on a line of their own, not run together -->
  <xsl:template match="tei:listBibl/tei:bibl | tei:listBibl/tei:biblStruct">
    <xsl:if test="normalize-space() != '' or *"><xsl:call-template name="wrap"><xsl:with-param name="el" select="'div'"/></xsl:call-template></xsl:if>
  </xsl:template>

  <!-- tables -->
  <xsl:template match="tei:table">
    <div class="tei-table">
      <xsl:call-template name="atts"/>
      <table>
        <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
        <xsl:apply-templates select="node()[not(self::tei:head)]" mode="table"/>
      </table>
    </div>
  </xsl:template>
  <xsl:template match="tei:row" mode="table">
    <tr><xsl:call-template name="atts"/><xsl:apply-templates select="node()" mode="row"/></tr>
  </xsl:template>
  <xsl:template match="*" mode="table">
    <tr class="table-other"><td><xsl:apply-templates select="."/></td></tr>
  </xsl:template>
  <xsl:template match="text()" mode="table">
    <xsl:if test="normalize-space(.) != ''"><tr class="table-other"><td><xsl:value-of select="."/></td></tr></xsl:if>
  </xsl:template>
  <xsl:template match="tei:cell" mode="row">
    <xsl:element name="{substring('tdth', 1 + 2 * number(@role = 'label' or ../@role = 'label'), 2)}">
      <xsl:call-template name="atts"/>
      <xsl:if test="@cols"><xsl:attribute name="colspan"><xsl:value-of select="@cols"/></xsl:attribute></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan"><xsl:value-of select="@rows"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
  <xsl:template match="*" mode="row">
    <td class="row-other"><xsl:apply-templates select="."/></td>
  </xsl:template>
  <xsl:template match="text()" mode="row">
    <xsl:if test="normalize-space(.) != ''"><td class="row-other"><xsl:value-of select="."/></td></xsl:if>
  </xsl:template>
  <xsl:template match="tei:row | tei:cell">
    <xsl:call-template name="wrap"><xsl:with-param name="el" select="'div'"/></xsl:call-template>
  </xsl:template>

  <!-- editorial marks, with the Leiden signs of EpiDoc: the signs that sit inside words
       (supplied [ ], omitted ⟨ ⟩, expansion ( ), uncertain ?, unclear letters dotted, erasure
       ⟦ ⟧, surplus { }) are drawn by teikit-text.css, so that a word stays one word in the
       page's text (search, copy, screen readers); a gap, which is no word, is its sign -->
  <xsl:template match="tei:gap">
    <xsl:text> </xsl:text>
    <span class="tei-gap">
      <xsl:call-template name="atts"/>
      <xsl:attribute name="title">
        <xsl:text>omitted</xsl:text>
        <xsl:if test="@reason"><xsl:value-of select="concat(' (', @reason, ')')"/></xsl:if>
        <xsl:if test="@quantity"><xsl:value-of select="concat(': ', @quantity, ' ', @unit)"/></xsl:if>
        <xsl:if test="@extent"><xsl:value-of select="concat(': ', @extent, ' ', @unit)"/></xsl:if>
      </xsl:attribute>
      <xsl:call-template name="gap-siglum"/>
      <xsl:if test="node()"><span class="gap-desc"><xsl:apply-templates/></span></xsl:if>
    </span>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="tei:supplied | tei:ex | tei:unclear | tei:surplus">
    <xsl:variable name="layout"><xsl:call-template name="layout"/></xsl:variable>
    <xsl:element name="{substring('spandiv', 1 + 4 * number($layout = 'block'), 4 - number($layout = 'block'))}">
      <xsl:attribute name="class">
        <xsl:value-of select="concat('tei-', local-name())"/>
        <xsl:if test="@reason"><xsl:value-of select="concat(' reason-', translate(normalize-space(@reason), ' ', '_'))"/></xsl:if>
        <xsl:if test="@cert = 'low' or @cert = 'unknown'"> cert-low</xsl:if>
        <xsl:call-template name="rend-classes"/>
      </xsl:attribute>
      <xsl:if test="self::tei:supplied">
        <xsl:attribute name="title">supplied by the editors<xsl:if test="@reason"><xsl:value-of select="concat(' (', @reason, ')')"/></xsl:if></xsl:attribute>
      </xsl:if>
      <xsl:call-template name="atts"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:del">
    <xsl:call-template name="inline-or-block"><xsl:with-param name="el" select="'del'"/></xsl:call-template>
  </xsl:template>
  <!-- the whitespace that lays out a subst is no word break: t<subst> <del>e</del> <add>urum</add></subst> -->
  <!-- no predicate in the pattern: libxslt would evaluate it for every text node of the file
       before it looks at the parent; a subst's other text goes on as it would without this rule -->
  <xsl:template match="tei:subst/text()">
    <xsl:if test="normalize-space() != ''"><xsl:apply-imports/></xsl:if>
  </xsl:template>
  <xsl:template match="tei:add">
    <xsl:call-template name="inline-or-block"><xsl:with-param name="el" select="'ins'"/></xsl:call-template>
  </xsl:template>

  <!-- choice: the preferred reading shown, the others in a hidden span and the tooltip -->
  <xsl:template match="tei:choice">
    <xsl:variable name="pref"><xsl:call-template name="choice-preferred-name"/></xsl:variable>
    <xsl:variable name="shown" select="*[local-name() = $pref][1]"/>
    <span class="tei-choice" tabindex="0">
      <xsl:call-template name="atts"/>
      <xsl:attribute name="title">
        <xsl:for-each select="*[count(. | $shown) != 1]">
          <xsl:if test="position() &gt; 1">; </xsl:if>
          <xsl:value-of select="concat(local-name(), ': ', normalize-space(.))"/>
        </xsl:for-each>
      </xsl:attribute>
      <xsl:apply-templates select="$shown"/>
      <xsl:for-each select="*[count(. | $shown) != 1]">
        <span class="alt"> [<xsl:value-of select="local-name()"/>: <xsl:apply-templates select="."/>]</span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- an entry of an apparatus list (EpiDoc div[@type='apparatus']/listApp): one line with its
       place (@loc), the lemma followed by ']', the readings with their witnesses, and its notes
       in place (they are the entry, not footnotes) -->
  <xsl:template match="tei:listApp/tei:app">
    <div class="tei-app-entry">
      <xsl:call-template name="atts"/>
      <xsl:if test="@loc"><span class="app-loc"><xsl:value-of select="@loc"/></span><xsl:text> </xsl:text></xsl:if>
      <xsl:for-each select="*">
        <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
        <xsl:choose>
          <xsl:when test="self::tei:lem"><span class="app-lem"><xsl:apply-templates/></span>]</xsl:when>
          <xsl:when test="self::tei:rdg">
            <span class="app-rdg"><xsl:apply-templates/></span>
            <xsl:if test="@wit or @source"><xsl:value-of select="concat(' ', normalize-space(concat(@wit, ' ', @source)))"/></xsl:if>
            <xsl:if test="following-sibling::tei:rdg">;</xsl:if>
          </xsl:when>
          <xsl:otherwise><xsl:apply-templates select="."/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </div>
  </xsl:template>

  <!-- app: the lemma (or first reading) shown, the other readings kept -->
  <xsl:template match="tei:app">
    <xsl:variable name="shown" select="(tei:lem | tei:rdg)[1]"/>
    <span class="tei-app" tabindex="0">
      <xsl:call-template name="atts"/>
      <xsl:attribute name="title">
        <xsl:for-each select="*[count(. | $shown) != 1]">
          <xsl:if test="position() &gt; 1">; </xsl:if>
          <xsl:value-of select="normalize-space(concat(@wit, ' ', .))"/>
        </xsl:for-each>
      </xsl:attribute>
      <xsl:apply-templates select="$shown"/>
      <xsl:for-each select="*[count(. | $shown) != 1]">
        <span class="alt"> [<xsl:value-of select="local-name()"/><xsl:if test="@wit"><xsl:value-of select="concat(' ', @wit)"/></xsl:if>: <xsl:apply-templates select="."/>]</span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- notes: a marker in place (unless a ref points to the note), the text at the end -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="@place = 'inline' or not(ancestor::tei:text) or ancestor::tei:listApp">
        <xsl:text> </xsl:text>
        <xsl:call-template name="inline-or-block"><xsl:with-param name="el" select="'span'"/><xsl:with-param name="class" select="'inline'"/></xsl:call-template>
        <xsl:text> </xsl:text>
      </xsl:when>
      <xsl:when test="@xml:id and $pointing and key('pointers-to', @xml:id)"/>
      <xsl:when test="parent::tei:div or parent::tei:body or parent::tei:front or parent::tei:back"/>
      <xsl:otherwise>
        <xsl:variable name="id"><xsl:call-template name="note-id"/></xsl:variable>
        <!-- zero-width spaces: the marker is no part of the word it follows ('Cats¹' is not 'Cats1') -->
        <a class="noteref" id="fnref-{$id}" href="#fn-{$id}"><sup>&#x200B;<xsl:call-template name="note-label"/>&#x200B;</sup></a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- links; a ref/ptr pointing to a note is its marker -->
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="t" select="normalize-space(substring-before(concat(normalize-space(@target), ' '), ' '))"/>
    <!-- the note it points to is asked for only when it points (and so is the key: the first
         key() asked of a document builds every key for it, a walk of the file per key) -->
    <xsl:choose>
      <xsl:when test="starts-with($t, '#') and key('by-id', substring-after($t, '#'))/parent::tei:note[not(@place = 'inline')][not(ancestor::tei:listApp)]">
        <xsl:variable name="note" select="key('by-id', substring-after($t, '#'))/parent::tei:note[not(@place = 'inline')][not(ancestor::tei:listApp)]"/>
        <xsl:variable name="id" select="substring-after($t, '#')"/>
        <a class="noteref" href="#fn-{$id}">
          <xsl:if test="count(. | key('pointers-to', $id)[1]) = 1"><xsl:attribute name="id"><xsl:value-of select="concat('fnref-', $id)"/></xsl:attribute></xsl:if>
          <sup>
            <xsl:choose>
              <xsl:when test="normalize-space(.) != ''"><xsl:apply-templates/></xsl:when>
              <xsl:otherwise><xsl:for-each select="$note"><xsl:call-template name="note-label"/></xsl:for-each></xsl:otherwise>
            </xsl:choose>
          </sup>
        </a>
      </xsl:when>
      <xsl:when test="$t != '' and not(.//tei:ref | .//tei:ptr)">
        <xsl:variable name="href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="$t"/></xsl:call-template></xsl:variable>
        <xsl:element name="{substring('aspan', 1 + number($href = ''), 1 + 3 * number($href = ''))}">
          <xsl:attribute name="class">
            <xsl:value-of select="concat('tei-', local-name())"/>
            <xsl:if test="$href = ''"> unsafe-link</xsl:if>
            <xsl:call-template name="rend-classes"/>
          </xsl:attribute>
          <xsl:if test="$href != ''"><xsl:attribute name="href"><xsl:value-of select="$href"/></xsl:attribute></xsl:if>
          <xsl:call-template name="atts"/>
          <xsl:choose>
            <xsl:when test="node()"><xsl:apply-templates/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
          </xsl:choose>
        </xsl:element>
      </xsl:when>
      <xsl:when test="self::tei:ref[@type = 'note' or @type = 'noteAnchor']">
        <sup class="noteref-orphan"><xsl:call-template name="atts"/><xsl:apply-templates/></sup>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="inline-or-block"><xsl:with-param name="el" select="'span'"/></xsl:call-template></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- images are linked, not loaded (the page stays offline) -->
  <xsl:template match="tei:graphic">
    <xsl:variable name="href"><xsl:call-template name="safe-url"><xsl:with-param name="url" select="@url"/></xsl:call-template></xsl:variable>
    <xsl:choose>
      <xsl:when test="$href != ''"><a class="tei-graphic" href="{$href}"><xsl:call-template name="atts"/>[image]</a></xsl:when>
      <xsl:otherwise><span class="tei-graphic unsafe-link"><xsl:call-template name="atts"/>[image]</span></xsl:otherwise>
    </xsl:choose>
    <xsl:apply-templates/>
  </xsl:template>

</xsl:stylesheet>
