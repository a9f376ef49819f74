<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit common stylesheet (XSLT 1.0): every parameter and the templates shared by
  tei-to-html.xsl, tei-to-text.xsl and the corpus stylesheets, which import this file.

  Named templates here return plain strings for one TEI document (context: tei:TEI or any
  node inside it): meta-title, meta-date-printed, meta-date-iso, meta-type, meta-place,
  meta-agents, meta-compilation, meta-page, meta-shelfmark, meta-publication,
  meta-classification, meta-doc-id, meta-stable-url, citation, json-string, layout.
  They read the header paths of /work/shared/ENCODING.md first and fall back to the
  places where other TEI projects keep the same facts.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:exsl="http://exslt.org/common"
  xmlns:n="urn:teikit:numbers"
  xmlns:teix="http://www.tei-c.org/ns/Examples"
  xmlns:func="http://exslt.org/functions"
  xmlns:t="urn:teikit:functions"
  xmlns:run="urn:teikit:runner"
  extension-element-prefixes="func"
  exclude-result-prefixes="tei exsl n teix t run">

  <!-- ===================== parameters (each declared only here) ===================== -->
  <!-- language of the interface and of the html/@lang attribute -->
  <xsl:param name="lang" select="'en'"/>
  <!-- href of the TEI source file for a "TEI" link ('' = no link) -->
  <xsl:param name="tei-href" select="''"/>
  <!-- href of the plain-text rendering for a "Text" link ('' = no link) -->
  <xsl:param name="text-href" select="''"/>
  <!-- href of the folder holding teikit.css and teikit.js, ending in '/' -->
  <xsl:param name="assets-href" select="'assets/'"/>
  <!-- put before a relative pb/@facs to make the facsimile's URL, e.g. 'https://example.org/images/' ('' = @facs as it stands) -->
  <xsl:param name="facs-base" select="''"/>
  <!-- path from the page to the TEI file's folder, ending in '/', put before relative URLs of the TEI that are no fragment, which are relative to the TEI file ('' = as they stand) -->
  <xsl:param name="link-base" select="''"/>
  <!-- href of the corpus index page ('' = no link) -->
  <xsl:param name="index-href" select="''"/>
  <!-- href of the "About this edition" page ('' = no link) -->
  <xsl:param name="about-href" select="''"/>
  <!-- downloads listed on the about page: one a line, 'href TAB label TAB bytes' ('' = none) -->
  <xsl:param name="downloads" select="''"/>
  <!-- href of the previous document in date order ('' = none) -->
  <xsl:param name="prev-href" select="''"/>
  <!-- title of the previous document, shown as the link text -->
  <xsl:param name="prev-title" select="''"/>
  <!-- href of the next document in date order ('' = none) -->
  <xsl:param name="next-href" select="''"/>
  <!-- title of the next document, shown as the link text -->
  <xsl:param name="next-title" select="''"/>
  <!-- base href of person/place/org pages; a prefixed @ref 'pers:x' links to {entity-href}pers-x.html ('' = no links) -->
  <xsl:param name="entity-href" select="''"/>
  <!-- name of the corpus, for the site header and the citation ('' = none) -->
  <xsl:param name="corpus-title" select="''"/>
  <!-- version of the corpus release, for the citation ('' = none) -->
  <xsl:param name="corpus-version" select="''"/>
  <!-- stable URL of this document for the citation ('' = the header's URI/DOI idno, if any) -->
  <xsl:param name="stable-url" select="''"/>
  <!-- date the reader accessed the page, ISO 8601, for the citation ('' = omitted; never the clock) -->
  <xsl:param name="accessed" select="''"/>
  <!-- formatted citation from teikit.cite, shown instead of the stylesheet's own ('' = build it here) -->
  <xsl:param name="cite-text" select="''"/>
  <!-- BibTeX entry from teikit.cite, shown instead of the stylesheet's own ('' = build it here) -->
  <xsl:param name="cite-bibtex" select="''"/>
  <!-- CSL-JSON record from teikit.cite, shown instead of the stylesheet's own ('' = build it here) -->
  <xsl:param name="cite-csl" select="''"/>
  <!-- href of the search index script (window.TEIKIT_INDEX) for the search box ('' = no search) -->
  <xsl:param name="search-href" select="''"/>
  <!-- which corpus page corpus-pages.xsl writes: index, years, year, types, type, persons, person, places, place, orgs, org -->
  <xsl:param name="page-kind" select="'index'"/>
  <!-- the key of that page: a year, a type, or a registry xml:id ('' for the list pages) -->
  <xsl:param name="page-key" select="''"/>

  <!-- paragraph and line break markers of the text output; transform.py turns them into
       blank lines and newlines after normalising whitespace (noncharacters U+FDD0/U+FDD1) -->
  <xsl:variable name="PARA" select="'&#xFDD0;'"/>
  <xsl:variable name="LINE" select="'&#xFDD1;'"/>

  <!-- TEI elements rendered as blocks; an element containing one of them (outside a
       moved footnote) is rendered as a block too, so that no <p> ever holds a block -->
  <xsl:variable name="block-names" select="concat(
    ' p ab div div1 div2 div3 div4 div5 div6 div7 lg l list listBibl listApp listPerson listPlace',
    ' listOrg listEvent table row head sp spGrp floatingText opener closer dateline salute',
    ' signed postscript figure titlePage docTitle docImprint docAuthor docDate byline',
    ' titlePart front body back group text epigraph argument trailer castList u',
    ' cit egXML eg msDesc item ')"/>

  <!-- elements by @xml:id, and the refs/ptrs that point to an id ('#id') -->
  <!-- by-id gives the xml:id attributes (their parent is the element): a pattern without a
       predicate, which libxslt would evaluate on every element of every document it builds
       the key of (the input, and each table made by exsl:node-set that a key is asked of) -->
  <xsl:key name="by-id" match="@xml:id" use="."/>
  <xsl:key name="pointers-to" match="tei:ref[starts-with(@target, '#')] | tei:ptr[starts-with(@target, '#')]" use="substring-after(@target, '#')"/>
  <!-- whether the file has a ref or ptr that points to an id: a note asks key('pointers-to')
       only then (the first key() asked of a document builds every key for it, a walk of the
       file per key; two walks with a name test here) -->
  <xsl:variable name="pointing" select="boolean(//tei:ref[starts-with(@target, '#')] | //tei:ptr[starts-with(@target, '#')])"/>

  <!-- ===================== word boundaries (text and HTML) =====================
       Elements that stand between words whatever whitespace the file has around them; the
       stylesheets put a space on each side. lb, pb and cb separate words unless
       @break='no'; then the whitespace on both sides of the break is dropped (the text
       nodes beside it are normalised), so that 'Mos<lb break="no"/> cow' is one word. -->
  <xsl:variable name="word-separators" select="' u seg pause incident vocal kinesic w space caesura '"/>

  <!-- one pattern, not a union of two: every text node of the file is tested against it;
       run:needs: teikit leaves it out for an input with no @break='no' (teikit.transform.runner) -->
  <xsl:template match="text()[(following-sibling::node()[1] | preceding-sibling::node()[1])[@break = 'no'][self::tei:lb or self::tei:pb or self::tei:cb]]" run:needs="break-no">
    <xsl:variable name="joins-before" select="following-sibling::node()[1][self::tei:lb or self::tei:pb or self::tei:cb][@break = 'no']"/>
    <xsl:variable name="joins-after" select="preceding-sibling::node()[1][self::tei:lb or self::tei:pb or self::tei:cb][@break = 'no']"/>
    <xsl:variable name="n" select="normalize-space(.)"/>
    <xsl:if test="not($joins-after) and $n != '' and normalize-space(substring(., 1, 1)) = ''"><xsl:text> </xsl:text></xsl:if>
    <xsl:value-of select="$n"/>
    <xsl:if test="not($joins-before) and $n != '' and normalize-space(substring(., string-length(.))) = ''"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- Leiden sign of a gap (EpiDoc): lost text in brackets, illegible text as dots; one dot
       per character when the quantity is known (up to 10, else the number), dashes when the
       extent is unknown; lost lines as a line of dashes -->
  <xsl:template name="gap-siglum">
    <xsl:variable name="q" select="number(@quantity)"/>
    <xsl:variable name="inner">
      <xsl:choose>
        <xsl:when test="@unit = 'line' or @unit = 'lines'">- - - - - -</xsl:when>
        <xsl:when test="$q = $q and $q &gt;= 1 and $q &lt;= 10 and (@unit = 'character' or @unit = 'chars' or not(@unit))">
          <xsl:if test="@precision = 'low'">c. </xsl:if>
          <xsl:value-of select="substring('..........', 1, $q)"/>
        </xsl:when>
        <xsl:when test="$q = $q and $q &gt; 10">
          <xsl:value-of select="concat('.', substring('c. ', 1, 3 * number(@precision = 'low')), $q)"/>
        </xsl:when>
        <xsl:when test="@reason = 'lost' or @extent = 'unknown'">- - -</xsl:when>
        <xsl:otherwise>...</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="@reason = 'illegible' or @unit = 'line' or @unit = 'lines'"><xsl:value-of select="$inner"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('[', $inner, ']')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== header facts ===================== -->

  <!-- the TEI document the context node belongs to -->
  <xsl:template name="doc-header-title">
    <xsl:param name="h" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader | self::tei:teiCorpus/tei:teiHeader"/>
    <xsl:variable name="ts" select="$h/tei:fileDesc/tei:titleStmt"/>
    <xsl:choose>
      <xsl:when test="$ts/tei:title[@type='main']">
        <xsl:value-of select="normalize-space($ts/tei:title[@type='main'][1])"/>
      </xsl:when>
      <xsl:when test="$ts/tei:title">
        <xsl:value-of select="normalize-space($ts/tei:title[1])"/>
      </xsl:when>
      <xsl:otherwise>Untitled</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="meta-title">
    <xsl:call-template name="doc-header-title"/>
  </xsl:template>

  <!-- an example of markup (egXML) is shown as the markup it is, tags and all, as text: its
       elements are the example (an xsl:template, a TEI fragment), not text to be rendered -->
  <xsl:template match="*" mode="eg-markup">
    <xsl:value-of select="concat('&lt;', name())"/>
    <xsl:for-each select="@*"><xsl:value-of select="concat(' ', name(), '=&quot;', ., '&quot;')"/></xsl:for-each>
    <xsl:choose>
      <xsl:when test="node()">
        <xsl:text>&gt;</xsl:text>
        <xsl:apply-templates mode="eg-markup"/>
        <xsl:value-of select="concat('&lt;/', name(), '&gt;')"/>
      </xsl:when>
      <xsl:otherwise>/&gt;</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="comment()" mode="eg-markup"><xsl:value-of select="concat('&lt;!--', ., '--&gt;')"/></xsl:template>
  <xsl:template match="processing-instruction()" mode="eg-markup"><xsl:value-of select="concat('&lt;?', name(), ' ', ., '?&gt;')"/></xsl:template>

  <!-- the space after a word-separating element (w, seg …), left out before punctuation that
       follows it in its parent or, when it ends its parent, in the grandparent
       ('<persName><w>Augustus</w></persName>, de' is 'Augustus, de', not 'Augustus , de') -->
  <xsl:template name="space-after-word">
    <xsl:variable name="next" select="(following-sibling::node()[1] | ../following-sibling::node()[1][not(current()/following-sibling::node())])[1]"/>
    <xsl:variable name="first" select="substring(normalize-space($next), 1, 1)"/>
    <xsl:if test="not($next[self::text()] and $first != '' and contains(',.;:!?)]}»”’', $first))"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- the name an entity element stands for: its text; an empty one that points into the file
       (correspAction/persName[@ref='#BS'] to particDesc/person[@xml:id='BS']) takes the name of
       what it points to; else the pointer itself -->
  <xsl:template name="pointed-name">
    <!-- a name made of parts that repeat it (EpiDoc: name[@type='full'], nomen, cognomen …) is its full form -->
    <xsl:variable name="text">
      <xsl:choose>
        <xsl:when test="*[@type='full'][normalize-space() != '']"><xsl:value-of select="normalize-space(*[@type='full'][normalize-space() != ''][1])"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$text != ''"><xsl:value-of select="$text"/></xsl:when>
      <xsl:otherwise>
        <!-- only an empty name looks up what it points to -->
        <xsl:variable name="ref" select="normalize-space(substring-before(concat(normalize-space(@ref), ' '), ' '))"/>
        <xsl:variable name="t" select="(key('by-id', substring($ref, 2))/..)[1]"/>
        <xsl:variable name="name-el" select="($t[self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:name] | $t/tei:persName | $t/tei:placeName | $t/tei:orgName | $t/tei:name | $t/tei:label)[1]"/>
        <xsl:variable name="named" select="normalize-space(($name-el/*[@type='full'][normalize-space() != ''] | $name-el[not(*[@type='full'][normalize-space() != ''])])[1])"/>
        <xsl:choose>
          <xsl:when test="starts-with($ref, '#') and $named != ''"><xsl:value-of select="$named"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$ref"/></xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the element that holds the document date -->
  <xsl:template name="meta-date-printed">
    <xsl:variable name="pd" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc"/>
    <xsl:variable name="d" select="($pd/tei:creation/tei:date | $pd/tei:correspDesc[last() = 1]/tei:correspAction[@type='sent']/tei:date)[1]"/>
    <xsl:value-of select="normalize-space($d)"/>
  </xsl:template>

  <!-- ISO reading of the date: 1920-05-07, 1920-05-07/1920-05-09, or '' -->
  <xsl:template name="meta-date-iso">
    <xsl:variable name="pd" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc"/>
    <xsl:variable name="d" select="($pd/tei:creation/tei:date | $pd/tei:correspDesc[last() = 1]/tei:correspAction[@type='sent']/tei:date)[1]"/>
    <xsl:call-template name="iso-of">
      <xsl:with-param name="d" select="$d"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="iso-of">
    <xsl:param name="d"/>
    <xsl:choose>
      <xsl:when test="$d/@when"><xsl:value-of select="$d/@when"/></xsl:when>
      <xsl:when test="$d/@from or $d/@to">
        <xsl:value-of select="concat($d/@from, '/', $d/@to)"/>
      </xsl:when>
      <xsl:when test="$d/@notBefore or $d/@notAfter">
        <xsl:value-of select="concat($d/@notBefore, '/', $d/@notAfter)"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- document type: the fragment of the first catRef/@target, else the first term -->
  <xsl:template name="meta-type">
    <xsl:variable name="tc" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:textClass"/>
    <xsl:choose>
      <xsl:when test="$tc/tei:catRef[contains(@target, '#')]">
        <xsl:value-of select="substring-after($tc/tei:catRef[contains(@target, '#')][1]/@target, '#')"/>
      </xsl:when>
      <xsl:when test="$tc/tei:classCode">
        <xsl:value-of select="normalize-space($tc/tei:classCode[1])"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- place of writing -->
  <xsl:template name="meta-place">
    <xsl:variable name="pd" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc"/>
    <xsl:for-each select="($pd/tei:creation/tei:placeName | $pd/tei:correspDesc[last() = 1]/tei:correspAction[@type='sent']/tei:placeName)[1]">
      <xsl:call-template name="pointed-name"/>
    </xsl:for-each>
  </xsl:template>

  <!-- names of senders ('sent') or addressees ('received'), joined by '; ' -->
  <xsl:template name="meta-agents">
    <xsl:param name="type" select="'sent'"/>
    <xsl:variable name="ca" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:correspDesc[last() = 1]/tei:correspAction[@type=$type]"/>
    <xsl:for-each select="$ca/tei:persName | $ca/tei:orgName | $ca/tei:name | $ca/tei:roleName">
      <xsl:if test="position() &gt; 1">; </xsl:if>
      <xsl:call-template name="pointed-name"/>
    </xsl:for-each>
  </xsl:template>

  <!-- title of the compilation the document was printed in -->
  <xsl:template name="meta-compilation">
    <xsl:variable name="b" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='compilation'][1]"/>
    <xsl:choose>
      <xsl:when test="$b/tei:title"><xsl:value-of select="normalize-space($b/tei:title[1])"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($b)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- page in the compilation -->
  <xsl:template name="meta-page">
    <xsl:value-of select="normalize-space(ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='compilation'][1]/tei:biblScope[@unit='page'][1])"/>
  </xsl:template>

  <!-- archival shelfmarks: the msIdentifier parts, one per msDesc, joined by '; ' -->
  <xsl:template name="meta-shelfmark">
    <xsl:for-each select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc/tei:msIdentifier">
      <xsl:if test="position() &gt; 1">; </xsl:if>
      <xsl:for-each select="tei:settlement | tei:institution | tei:repository | tei:collection | tei:idno | tei:msName">
        <xsl:if test="position() &gt; 1">, </xsl:if>
        <xsl:if test="self::tei:idno[@type]">
          <xsl:value-of select="concat(@type, ' ')"/>
        </xsl:if>
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- earlier publications as printed, joined by '; ' -->
  <xsl:template name="meta-publication">
    <xsl:for-each select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='publication']">
      <xsl:if test="position() &gt; 1">; </xsl:if>
      <xsl:value-of select="normalize-space(.)"/>
    </xsl:for-each>
  </xsl:template>

  <!-- classification terms, joined by ', ' -->
  <xsl:template name="meta-classification">
    <xsl:for-each select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:textClass/tei:keywords[@scheme='#classification']/tei:term">
      <xsl:if test="position() &gt; 1">, </xsl:if>
      <xsl:value-of select="normalize-space(.)"/>
    </xsl:for-each>
  </xsl:template>

  <!-- identifier of the document: TEI/@xml:id, else the first idno of publicationStmt -->
  <xsl:template name="meta-doc-id">
    <xsl:variable name="t" select="ancestor-or-self::tei:TEI[1] | self::tei:teiCorpus"/>
    <xsl:choose>
      <xsl:when test="$t/@xml:id"><xsl:value-of select="$t/@xml:id"/></xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space($t/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[1])"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the stable URL: the parameter, else an idno of type URI/URL/DOI in publicationStmt -->
  <xsl:template name="meta-stable-url">
    <xsl:variable name="ps" select="(ancestor-or-self::tei:TEI[1] | self::tei:teiCorpus)/tei:teiHeader/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="uri" select="$ps/tei:idno[@type='URI' or @type='URL' or @type='uri' or @type='url'][1]"/>
    <xsl:variable name="doi" select="$ps/tei:idno[@type='DOI' or @type='doi'][1]"/>
    <xsl:choose>
      <xsl:when test="$stable-url != ''"><xsl:value-of select="$stable-url"/></xsl:when>
      <xsl:when test="$uri"><xsl:value-of select="normalize-space($uri)"/></xsl:when>
      <xsl:when test="$doi"><xsl:value-of select="concat('https://doi.org/', normalize-space($doi))"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- a one-line citation: Senders, "Title", date. In: Compilation, p. N. Corpus, version V. URL -->
  <xsl:template name="citation">
    <xsl:variable name="from"><xsl:call-template name="meta-agents"/></xsl:variable>
    <xsl:variable name="title"><xsl:call-template name="meta-title"/></xsl:variable>
    <xsl:variable name="printed"><xsl:call-template name="meta-date-printed"/></xsl:variable>
    <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
    <xsl:variable name="comp"><xsl:call-template name="meta-compilation"/></xsl:variable>
    <xsl:variable name="page"><xsl:call-template name="meta-page"/></xsl:variable>
    <xsl:variable name="url"><xsl:call-template name="meta-stable-url"/></xsl:variable>
    <xsl:if test="$from != ''"><xsl:value-of select="concat($from, ', ')"/></xsl:if>
    <xsl:value-of select="concat('“', $title, '”')"/>
    <xsl:choose>
      <xsl:when test="$iso != ''"><xsl:value-of select="concat(', ', $iso)"/></xsl:when>
      <xsl:when test="$printed != ''"><xsl:value-of select="concat(', ', $printed)"/></xsl:when>
    </xsl:choose>
    <xsl:text>.</xsl:text>
    <xsl:if test="$comp != ''">
      <xsl:value-of select="concat(' In: ', $comp)"/>
      <xsl:if test="$page != ''"><xsl:value-of select="concat(', p. ', $page)"/></xsl:if>
      <xsl:text>.</xsl:text>
    </xsl:if>
    <xsl:if test="$corpus-title != ''">
      <xsl:value-of select="concat(' ', $corpus-title)"/>
      <xsl:if test="$corpus-version != ''"><xsl:value-of select="concat(', version ', $corpus-version)"/></xsl:if>
      <xsl:text>.</xsl:text>
    </xsl:if>
    <xsl:if test="$url != ''"><xsl:value-of select="concat(' ', $url)"/></xsl:if>
    <xsl:if test="$accessed != ''"><xsl:value-of select="concat(' (accessed ', $accessed, ')')"/></xsl:if>
  </xsl:template>

  <!-- $s as a JSON string literal, quotes included (whitespace already normalised) -->
  <xsl:template name="json-string">
    <xsl:param name="s"/>
    <xsl:text>"</xsl:text>
    <xsl:call-template name="replace">
      <xsl:with-param name="s">
        <xsl:call-template name="replace">
          <xsl:with-param name="s" select="$s"/>
          <xsl:with-param name="from" select="'\'"/>
          <xsl:with-param name="to" select="'\\'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&quot;'"/>
      <xsl:with-param name="to" select="'\&quot;'"/>
    </xsl:call-template>
    <xsl:text>"</xsl:text>
  </xsl:template>

  <!-- $url when it is safe to link: relative, a fragment, or http:, https:, mailto:; else ''.
       The test is the browser's: tabs, newlines and spaces are removed first (browsers drop
       them, so 'java&#9;script:' is 'javascript:'), and a colon before any '/', '?' or '#'
       makes the part before it a scheme. transform/runner.py (unsafe_links) applies the
       same rule to warn about every link that is shown as text instead. -->
  <xsl:variable name="UPPER" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="LOWER" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <!-- characters that cannot be in an id (so an argument holding one is no id) -->
  <xsl:variable name="NOT-ID"><xsl:text>/[]()=" '</xsl:text></xsl:variable>
  <xsl:template name="safe-url">
    <xsl:param name="url"/>
    <xsl:param name="rebase" select="true()"/>
    <xsl:variable name="bare" select="translate(translate($url, '&#9;&#10;&#13; ', ''), $UPPER, $LOWER)"/>
    <xsl:variable name="scheme" select="substring-before($bare, ':')"/>
    <!-- a TEI pointer scheme, '#range(a-start,a-end)', '#string-range(p1,0,5)', '#left(x)':
         the page's fragment is its first id -->
    <xsl:variable name="scheme-arg" select="normalize-space(substring-before(concat(translate(substring-after($url, '('), ')', ','), ','), ','))"/>
    <xsl:choose>
      <xsl:when test="normalize-space($url) = ''"/>
      <xsl:when test="starts-with(normalize-space($url), '#') and contains($url, '(') and $scheme-arg != '' and string-length(translate($scheme-arg, $NOT-ID, '')) = string-length($scheme-arg)">
        <xsl:value-of select="concat('#', translate($scheme-arg, '#', ''))"/>
      </xsl:when>
      <xsl:when test="not(contains($bare, ':')) or contains($scheme, '/') or contains($scheme, '?') or contains($scheme, '#')">
        <xsl:if test="$rebase and $link-base != '' and not(starts-with(normalize-space($url), '#')) and not(starts-with(normalize-space($url), '/'))">
          <xsl:value-of select="$link-base"/>
        </xsl:if>
        <xsl:value-of select="normalize-space($url)"/>
      </xsl:when>
      <xsl:when test="$scheme = 'http' or $scheme = 'https' or $scheme = 'mailto'">
        <xsl:value-of select="normalize-space($url)"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- replace every $from in $s by $to -->
  <xsl:template name="replace">
    <xsl:param name="s"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="$from != '' and contains($s, $from)">
        <xsl:value-of select="concat(substring-before($s, $from), $to)"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="s" select="substring-after($s, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- t:is-block(): true when the current element is or contains a block (outside moved notes).
       An XPath function (EXSLT func:function), so that a template asks it without building a
       result tree fragment as xsl:call-template into a variable does; libexslt evaluates the
       body at the current node, so call it where the context node is the current node (a
       template's own test or variable, not a predicate). layout: the same as a string,
       'block' or 'inline'. -->
  <func:function name="t:is-block">
    <func:result select="contains($block-names, concat(' ', local-name(), ' ')) or parent::tei:body or parent::tei:div or parent::tei:front or parent::tei:back or .//*[contains($block-names, concat(' ', local-name(), ' '))][count(ancestor::tei:note) = count(current()/ancestor::tei:note)]"/>
  </func:function>
  <xsl:template name="layout">
    <xsl:choose>
      <xsl:when test="t:is-block()">block</xsl:when>
      <xsl:otherwise>inline</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===================== precomputed numbers (linear time) =====================
       Every number the pages show (note labels, note ids, section anchors) is computed once,
       in one pass over the document, into the table $numbers; templates look a node's number
       up by key (its generate-id) instead of counting preceding nodes per node, which is
       quadratic. Kinds: 'note' = position among all notes of the file (run-independent ids);
       'label' = position among the displayed notes of its TEI (tei:text//note, @place not
       'inline'; numbering restarts in every TEI of a teiCorpus); 'div' = position among all
       divisions of the file. -->
  <xsl:variable name="numbers-rtf">
    <xsl:call-template name="note-numbers"/>
    <xsl:call-template name="label-numbers"/>
    <xsl:call-template name="division-numbers"/>
  </xsl:variable>
  <!-- the three kinds, apart: a stylesheet that shows fewer kinds (the text shows labels
       only) builds only those (every global variable is evaluated in every run) -->
  <xsl:template name="note-numbers">
    <xsl:for-each select="//tei:note">
      <n:n k="note {generate-id()}" v="{position()}"/>
    </xsl:for-each>
  </xsl:template>
  <xsl:template name="label-numbers">
    <!-- the TEI documents of the file: the root, or the members of a (nested) teiCorpus; notes
         of a TEI nested elsewhere are numbered by xsl:number (see number-of) -->
    <xsl:for-each select="/tei:TEI | /tei:teiCorpus//tei:TEI">
      <xsl:variable name="me" select="generate-id()"/>
      <xsl:for-each select="tei:text//tei:note[not(@place = 'inline')][not(ancestor::tei:listApp)][generate-id(ancestor::tei:TEI[1]) = $me]">
        <n:n k="label {generate-id()}" v="{position()}"/>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:if test="not(/tei:TEI | /tei:teiCorpus)">
      <xsl:for-each select="//tei:text//tei:note[not(@place = 'inline')][not(ancestor::tei:listApp)][not(ancestor::tei:TEI)]">
        <n:n k="label {generate-id()}" v="{position()}"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>
  <xsl:template name="division-numbers">
    <!-- eight walks with a name test (libxml2 tests a name in C, where a predicate is an
         expression evaluated per element), merged in document order: the same divisions -->
    <xsl:for-each select="//tei:div | //tei:div1 | //tei:div2 | //tei:div3 | //tei:div4 | //tei:div5 | //tei:div6 | //tei:div7">
      <n:n k="div {generate-id()}" v="{position()}"/>
    </xsl:for-each>
  </xsl:template>
  <xsl:variable name="numbers" select="exsl:node-set($numbers-rtf)"/>
  <xsl:key name="number" match="n:n" use="@k"/>

  <!-- the precomputed number of the context node, of kind $kind ('note', 'label', 'div');
       a node the table does not hold (a note of a TEI nested inside a text) is counted -->
  <xsl:template name="number-of">
    <xsl:param name="kind"/>
    <xsl:variable name="k" select="concat($kind, ' ', generate-id())"/>
    <xsl:variable name="v"><xsl:for-each select="$numbers"><xsl:value-of select="key('number', $k)/@v"/></xsl:for-each></xsl:variable>
    <xsl:choose>
      <xsl:when test="$v != ''"><xsl:value-of select="$v"/></xsl:when>
      <xsl:when test="$kind = 'label'"><xsl:number level="any" from="tei:TEI" count="tei:text//tei:note[not(@place='inline')][not(ancestor::tei:listApp)]"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- a note that is shown at the end (every note of tei:text except @place='inline' and the
       notes of an apparatus list, listApp, which are its entries and stay in place) -->
  <xsl:template name="note-label">
    <xsl:choose>
      <xsl:when test="@n"><xsl:value-of select="@n"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="number-of"><xsl:with-param name="kind" select="'label'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a document-unique, run-independent id for a note -->
  <xsl:template name="note-id">
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise>
        <xsl:text>note</xsl:text>
        <xsl:call-template name="number-of"><xsl:with-param name="kind" select="'note'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the anchor of a division: its xml:id, else 'sec-N' (N = its number among all divisions) -->
  <xsl:template name="div-anchor">
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise>
        <xsl:text>sec-</xsl:text>
        <xsl:call-template name="number-of"><xsl:with-param name="kind" select="'div'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the reading shown for choice: corr, reg, expan, else the first child -->
  <xsl:template name="choice-preferred-name">
    <xsl:choose>
      <xsl:when test="tei:corr">corr</xsl:when>
      <xsl:when test="tei:reg">reg</xsl:when>
      <xsl:when test="tei:expan">expan</xsl:when>
      <xsl:when test="tei:seg">seg</xsl:when>
      <xsl:otherwise><xsl:value-of select="local-name(*[1])"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
