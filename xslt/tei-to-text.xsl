<?xml version="1.0" encoding="UTF-8"?>
<!--
  teikit: one TEI file -> plain text (XSLT 1.0). A short header block (title, date,
  from/to, source), then the text, then the notes as "[n] ...". Blocks are delimited by
  $PARA and line breaks by $LINE (common.xsl); transform.py normalises whitespace and turns
  the markers into blank lines and newlines. Every character of tei:text is kept: the running
  text has one reading of each choice, app and subst (corr, reg, expan, lem, add) and no
  deletion; the other readings and the deletions are listed after the notes, under
  "Other readings", one line per place, so that no word of the text is cut.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:teix="http://www.tei-c.org/ns/Examples"
  xmlns:t="urn:teikit:functions"
  exclude-result-prefixes="tei teix t">

  <xsl:import href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <!-- the text shows note labels, no note ids or section anchors: only the labels are numbered -->
  <xsl:variable name="numbers-rtf"><xsl:call-template name="label-numbers"/></xsl:variable>

  <xsl:template match="/">
    <xsl:apply-templates select="*" mode="doc"/>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="doc">
    <xsl:call-template name="header-block"/>
    <xsl:apply-templates select="tei:text"/>
    <xsl:call-template name="notes"/>
    <xsl:call-template name="readings"/>
  </xsl:template>

  <xsl:template match="tei:teiCorpus" mode="doc">
    <xsl:call-template name="header-block"/>
    <xsl:for-each select="tei:TEI | tei:teiCorpus">
      <xsl:value-of select="concat($PARA, '* * *', $PARA)"/>
      <xsl:apply-templates select="." mode="doc"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="*" mode="doc">
    <xsl:apply-templates select="."/>
  </xsl:template>

  <!-- Title / Date / From / To / Place / Source, one per line -->
  <xsl:template name="header-block">
    <xsl:variable name="title"><xsl:call-template name="meta-title"/></xsl:variable>
    <xsl:variable name="printed"><xsl:call-template name="meta-date-printed"/></xsl:variable>
    <xsl:variable name="iso"><xsl:call-template name="meta-date-iso"/></xsl:variable>
    <xsl:variable name="from"><xsl:call-template name="meta-agents"><xsl:with-param name="type" select="'sent'"/></xsl:call-template></xsl:variable>
    <xsl:variable name="to"><xsl:call-template name="meta-agents"><xsl:with-param name="type" select="'received'"/></xsl:call-template></xsl:variable>
    <xsl:variable name="place"><xsl:call-template name="meta-place"/></xsl:variable>
    <xsl:variable name="type"><xsl:call-template name="meta-type"/></xsl:variable>
    <xsl:variable name="comp"><xsl:call-template name="meta-compilation"/></xsl:variable>
    <xsl:variable name="page"><xsl:call-template name="meta-page"/></xsl:variable>
    <xsl:variable name="shelf"><xsl:call-template name="meta-shelfmark"/></xsl:variable>
    <xsl:variable name="publ"><xsl:call-template name="meta-publication"/></xsl:variable>
    <xsl:variable name="url"><xsl:call-template name="meta-stable-url"/></xsl:variable>
    <xsl:value-of select="$PARA"/>
    <xsl:value-of select="concat('Title: ', $title, $LINE)"/>
    <xsl:if test="$printed != '' or $iso != ''">
      <xsl:text>Date: </xsl:text>
      <xsl:value-of select="$printed"/>
      <xsl:if test="$iso != ''">
        <xsl:if test="$printed != ''"><xsl:text> </xsl:text></xsl:if>
        <xsl:choose>
          <xsl:when test="$printed != ''"><xsl:value-of select="concat('(', $iso, ')')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$iso"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
      <xsl:value-of select="$LINE"/>
    </xsl:if>
    <xsl:if test="$type != ''"><xsl:value-of select="concat('Type: ', translate($type, '-', ' '), $LINE)"/></xsl:if>
    <xsl:if test="$from != ''"><xsl:value-of select="concat('From: ', $from, $LINE)"/></xsl:if>
    <xsl:if test="$to != ''"><xsl:value-of select="concat('To: ', $to, $LINE)"/></xsl:if>
    <xsl:if test="$place != ''"><xsl:value-of select="concat('Place: ', $place, $LINE)"/></xsl:if>
    <xsl:if test="$comp != ''">
      <xsl:value-of select="concat('Source: ', $comp)"/>
      <xsl:if test="$page != ''"><xsl:value-of select="concat(', p. ', $page)"/></xsl:if>
      <xsl:value-of select="$LINE"/>
    </xsl:if>
    <xsl:if test="$shelf != ''"><xsl:value-of select="concat('Archive: ', $shelf, $LINE)"/></xsl:if>
    <xsl:if test="$publ != ''"><xsl:value-of select="concat('Published: ', $publ, $LINE)"/></xsl:if>
    <xsl:if test="$url != ''"><xsl:value-of select="concat('URL: ', $url, $LINE)"/></xsl:if>
    <!-- a file that describes several letters (CMIF): one line per letter, not the first letter's facts as the file's -->
    <xsl:variable name="letters" select="ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:correspDesc"/>
    <xsl:if test="count($letters) &gt; 1">
      <xsl:value-of select="concat($PARA, 'Letters described: ', count($letters), $LINE)"/>
      <xsl:for-each select="$letters">
        <xsl:for-each select="tei:correspAction[@type='sent']"><xsl:call-template name="action-line"/></xsl:for-each>
        <xsl:if test="tei:correspAction[@type='received']">
          <xsl:text> → </xsl:text>
          <xsl:for-each select="tei:correspAction[@type='received']"><xsl:call-template name="action-line"/></xsl:for-each>
        </xsl:if>
        <xsl:if test="@ref or @key"><xsl:value-of select="concat(' &lt;', normalize-space(@ref | @key), '&gt;')"/></xsl:if>
        <xsl:value-of select="$LINE"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:value-of select="$PARA"/>
  </xsl:template>

  <!-- 'Name; Name (place, date)' of a correspAction -->
  <xsl:template name="action-line">
    <xsl:for-each select="tei:persName | tei:orgName | tei:name | tei:roleName">
      <xsl:if test="position() &gt; 1">; </xsl:if>
      <xsl:call-template name="pointed-name"/>
    </xsl:for-each>
    <xsl:if test="tei:placeName | tei:date">
      <xsl:text> (</xsl:text>
      <xsl:for-each select="tei:placeName | tei:date">
        <xsl:if test="position() &gt; 1">, </xsl:if>
        <xsl:choose>
          <xsl:when test="self::tei:date and normalize-space() = ''"><xsl:call-template name="iso-of"><xsl:with-param name="d" select="."/></xsl:call-template></xsl:when>
          <xsl:otherwise><xsl:call-template name="pointed-name"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
      <xsl:text>)</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template name="notes">
    <xsl:variable name="notes" select="tei:text//tei:note[not(@place='inline')][not(ancestor::tei:listApp)]"/>
    <xsl:if test="$notes">
      <xsl:value-of select="concat($PARA, 'Notes', $PARA)"/>
      <xsl:for-each select="$notes">
        <xsl:value-of select="$PARA"/>
        <xsl:text>[</xsl:text><xsl:call-template name="note-label"/><xsl:text>] </xsl:text>
        <xsl:apply-templates/>
        <xsl:value-of select="$PARA"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- ===================== the text ===================== -->

  <!-- any element: its content, as a block when it is or holds a block -->
  <!-- the names that make most elements of a text, when they hold no element and are not a
       child of body, div, front or back: inline (t:is-block() is false for them) and not word
       separators, so the template below gives their text; said here without asking
       t:is-block() (a priority below every name test: a template for the name wins). The
       pattern has no predicate (see tei-to-html.xsl): a name the test is not true of gets
       what the * template gives -->
  <xsl:template match="tei:placeName | tei:persName | tei:orgName" priority="-0.25">
    <xsl:choose>
      <xsl:when test="not(*) and not(parent::tei:body or parent::tei:div or parent::tei:front or parent::tei:back)"><xsl:apply-templates/></xsl:when>
      <xsl:otherwise><xsl:call-template name="any-element"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- elements whose name is in $block-names and that no other template here matches: what
       the template below makes of them (t:is-block() is true for a block name), without the call -->
  <xsl:template match="tei:p | tei:div | tei:head | tei:opener | tei:closer | tei:body | tei:text">
    <xsl:value-of select="$PARA"/><xsl:apply-templates/><xsl:value-of select="$PARA"/>
  </xsl:template>

  <xsl:template match="*">
    <xsl:call-template name="any-element"/>
  </xsl:template>
  <xsl:template name="any-element">
    <xsl:choose>
      <xsl:when test="t:is-block()">
        <xsl:value-of select="$PARA"/><xsl:apply-templates/><xsl:value-of select="$PARA"/>
      </xsl:when>
      <xsl:when test="contains($word-separators, concat(' ', local-name(), ' '))">
        <xsl:text> </xsl:text><xsl:apply-templates/><xsl:call-template name="space-after-word"/>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- egXML: the example's markup as text, its lines kept (see eg-markup in common.xsl) -->
  <xsl:template match="teix:egXML | tei:egXML">
    <xsl:value-of select="$PARA"/>
    <xsl:apply-templates mode="eg-markup"/>
    <xsl:value-of select="$PARA"/>
  </xsl:template>
  <xsl:template match="text()" mode="eg-markup">
    <xsl:value-of select="translate(., '&#10;', $LINE)"/>
  </xsl:template>

  <!-- lines of verse, list items, table rows, salutations: one line each -->
  <xsl:template match="tei:l | tei:item | tei:row | tei:dateline | tei:salute | tei:signed | tei:label[parent::tei:list] | tei:listBibl/tei:bibl | tei:listBibl/tei:biblStruct">
    <xsl:if test="not(self::tei:item and preceding-sibling::*[1][self::tei:label])"><xsl:value-of select="$LINE"/></xsl:if>
    <xsl:if test="self::tei:item and not(preceding-sibling::*[1][self::tei:label])">
      <xsl:choose>
        <xsl:when test="@n"><xsl:value-of select="concat(@n, ' ')"/></xsl:when>
        <xsl:otherwise>- </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
    <xsl:apply-templates/>
    <xsl:if test="not(self::tei:label)"><xsl:value-of select="$LINE"/></xsl:if>
    <xsl:if test="self::tei:label"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <xsl:template match="tei:cell">
    <xsl:if test="preceding-sibling::tei:cell"><xsl:text> | </xsl:text></xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:lb">
    <xsl:if test="not(@break = 'no') and not(ancestor::tei:w)"><xsl:value-of select="$LINE"/></xsl:if>
  </xsl:template>

  <!-- a page or column break between words is a space; within a word (@break='no') nothing -->
  <xsl:template match="tei:pb | tei:cb">
    <xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>
  <xsl:template match="tei:milestone"/>

  <!-- a gap is its Leiden sign, between words -->
  <xsl:template match="tei:gap">
    <xsl:text> </xsl:text><xsl:call-template name="gap-siglum"/>
    <xsl:if test="node()"><xsl:text> </xsl:text><xsl:apply-templates/></xsl:if>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- the reading text: supplied, expanded and unclear letters are printed without their
       Leiden signs, which would cut a word in two ('Aur(elius)'); the HTML shows the signs -->
  <xsl:template match="tei:supplied | tei:ex | tei:unclear">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- a deletion is not in the running text (it is listed under "Other readings"); the
       whitespace that lays out a subst is no word break: t<subst> <del>e</del> <add>urum</add></subst> -->
  <xsl:template match="tei:del"/>
  <!-- no predicate in the pattern (libxslt would evaluate it for every text node of the file
       before it looks at the parent, as in tei-to-html.xsl); a subst's other text goes on as
       it would without this rule -->
  <xsl:template match="tei:subst/text()">
    <xsl:if test="normalize-space() != ''"><xsl:apply-imports/></xsl:if>
  </xsl:template>

  <!-- an entry of an apparatus list: one line, '3 lemma] reading #wit; note' -->
  <xsl:template match="tei:listApp/tei:app">
    <xsl:value-of select="$LINE"/>
    <xsl:if test="@loc"><xsl:value-of select="concat(@loc, ' ')"/></xsl:if>
    <xsl:for-each select="*">
      <xsl:text> </xsl:text>
      <xsl:choose>
        <xsl:when test="self::tei:lem"><xsl:apply-templates/>]</xsl:when>
        <xsl:when test="self::tei:rdg">
          <xsl:apply-templates/>
          <xsl:if test="@wit or @source"><xsl:value-of select="concat(' ', normalize-space(concat(@wit, ' ', @source)))"/></xsl:if>
          <xsl:if test="following-sibling::tei:rdg">;</xsl:if>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
    <xsl:value-of select="$LINE"/>
  </xsl:template>

  <!-- choice and app: one reading in the running text (choice-preferred-name; app: lem, else
       the first rdg); the others are listed under "Other readings" -->
  <xsl:template match="tei:choice | tei:app">
    <xsl:apply-templates select="." mode="shown"/>
  </xsl:template>
  <xsl:template match="tei:choice" mode="shown">
    <xsl:variable name="pref"><xsl:call-template name="choice-preferred-name"/></xsl:variable>
    <xsl:apply-templates select="*[local-name() = $pref][1]"/>
  </xsl:template>
  <xsl:template match="tei:app" mode="shown">
    <xsl:apply-templates select="(tei:lem | tei:rdg)[1]"/>
  </xsl:template>
  <xsl:template match="tei:subst" mode="shown">
    <xsl:apply-templates/>
  </xsl:template>
  <xsl:template match="tei:del" mode="shown"/>

  <!-- "Other readings": for each choice, app, subst (with more than one child) and deletion
       of the text (not of an apparatus list, which is printed in place), in document order, one line
       'word as read] name: word with this reading; ...' (a deletion with no word beside it:
       'after "word" del: deleted text', naming the word before it when there is one). The word is completed from the text
       right beside the place (the end of the text node or inline element such as hi before it,
       the start of the one after),
       so that 'mit<choice><sic>t</sic><corr>i</corr></choice>i' is 'mitii] sic: mitti'. -->
  <xsl:template name="readings">
    <!-- one pass with a predicate, not a union of four node-sets (libxml2 merges unions in
         time quadratic in their sizes) -->
    <!-- the sites are choice, app, subst and del elements: four walks that stop at the first
         found (or, not a union) before the pass with the predicate, which most texts need not make -->
    <xsl:if test="tei:text//tei:choice or tei:text//tei:app or tei:text//tei:subst or tei:text//tei:del">
      <xsl:variable name="sites" select="tei:text//*[self::tei:choice or self::tei:app or self::tei:subst or self::tei:del[not(parent::tei:subst)]][not(self::tei:choice or self::tei:app) or not(ancestor::tei:listApp)][self::tei:del or *[2]]"/>
      <xsl:if test="$sites">
        <xsl:value-of select="concat($PARA, 'Other readings', $PARA)"/>
        <xsl:for-each select="$sites">
          <!-- the text or the inline element (hi, supplied, persName ...) right before and after -->
          <xsl:variable name="before-text" select="preceding-sibling::node()[1][self::text() or self::tei:hi or self::tei:emph or self::tei:foreign or self::tei:supplied or self::tei:unclear or self::tei:ex or self::tei:g or self::tei:add or self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:name or self::tei:term]"/>
          <xsl:variable name="before">
            <xsl:if test="$before-text and normalize-space(substring($before-text, string-length($before-text))) != ''">
              <xsl:call-template name="last-word">
                <xsl:with-param name="s" select="translate(substring($before-text, string-length($before-text) - 39), $not-in-word, $spaces)"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:variable>
          <xsl:variable name="after-text" select="following-sibling::node()[1][self::text() or self::tei:hi or self::tei:emph or self::tei:foreign or self::tei:supplied or self::tei:unclear or self::tei:ex or self::tei:g or self::tei:add or self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:name or self::tei:term]"/>
          <xsl:variable name="after" select="substring-before(concat(translate($after-text, $not-in-word, $spaces), ' '), ' ')"/>
          <xsl:variable name="lemma"><xsl:value-of select="$before"/><xsl:apply-templates select="." mode="shown"/><xsl:value-of select="$after"/></xsl:variable>
          <xsl:value-of select="$LINE"/>
          <xsl:if test="normalize-space($lemma) != ''"><xsl:value-of select="concat($lemma, ']')"/></xsl:if>
          <xsl:if test="normalize-space($lemma) = '' and self::tei:del">
            <!-- a whole word deleted: say after which word it stood -->
            <xsl:variable name="previous">
              <xsl:call-template name="last-word">
                <xsl:with-param name="s" select="normalize-space(translate(substring($before-text, string-length($before-text) - 39), $not-in-word, $spaces))"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:if test="$previous != ''"><xsl:value-of select="concat('after &quot;', $previous, '&quot;')"/></xsl:if>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="self::tei:del">
              <xsl:text> del: </xsl:text><xsl:value-of select="$before"/><xsl:apply-templates/><xsl:value-of select="$after"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:variable name="pref"><xsl:call-template name="choice-preferred-name"/></xsl:variable>
              <xsl:variable name="shown" select="self::tei:choice/*[local-name() = $pref][1] | self::tei:app/*[self::tei:lem or self::tei:rdg][1] | self::tei:subst/*[not(self::tei:del)]"/>
              <xsl:for-each select="*[count(. | $shown) != 1]">
                <xsl:if test="position() &gt; 1">;</xsl:if>
                <xsl:value-of select="concat(' ', local-name())"/>
                <xsl:if test="@wit or @source"><xsl:value-of select="concat(' ', normalize-space(concat(@wit, ' ', @source)))"/></xsl:if>
                <xsl:text>: </xsl:text>
                <xsl:value-of select="$before"/><xsl:apply-templates/><xsl:value-of select="$after"/>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="$LINE"/>
        </xsl:for-each>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- what ends a word beside a reading (whitespace, punctuation), and as many spaces -->
  <xsl:variable name="not-in-word" select="concat('&#9;&#10;&#13;.,;:!?()[]{}«»“”‘’…–—/', '&quot;')"/>
  <xsl:variable name="spaces" select="'                         '"/>

  <!-- the last word of $s (at most 40 characters, see readings): what follows its last space -->
  <xsl:template name="last-word">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, ' ')">
        <xsl:call-template name="last-word"><xsl:with-param name="s" select="substring-after($s, ' ')"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="@place = 'inline' or not(ancestor::tei:text) or ancestor::tei:listApp">
        <xsl:text> (</xsl:text><xsl:apply-templates/><xsl:text>) </xsl:text>
      </xsl:when>
      <xsl:when test="@xml:id and $pointing and key('pointers-to', @xml:id)"/>
      <xsl:when test="parent::tei:div or parent::tei:body or parent::tei:front or parent::tei:back"/>
      <xsl:otherwise>
        <xsl:text>[</xsl:text><xsl:call-template name="note-label"/><xsl:text>]</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a ref to a note is its marker [n] -->
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="t" select="normalize-space(substring-before(concat(normalize-space(@target), ' '), ' '))"/>
    <!-- the note is asked for only when it points (see tei-to-html.xsl) -->
    <xsl:choose>
      <xsl:when test="starts-with($t, '#') and key('by-id', substring-after($t, '#'))/parent::tei:note[not(@place = 'inline')][not(ancestor::tei:listApp)]">
        <xsl:variable name="note" select="key('by-id', substring-after($t, '#'))/parent::tei:note[not(@place = 'inline')][not(ancestor::tei:listApp)]"/>
        <xsl:text>[</xsl:text>
        <xsl:choose>
          <xsl:when test="normalize-space(.) != ''"><xsl:apply-templates/></xsl:when>
          <xsl:otherwise><xsl:for-each select="$note"><xsl:call-template name="note-label"/></xsl:for-each></xsl:otherwise>
        </xsl:choose>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="self::tei:ptr and not(node())"><xsl:value-of select="concat('&lt;', $t, '&gt;')"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
