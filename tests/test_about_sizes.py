"""The about page's downloads as it shows them (output.shown_sizes, a key of the page kept in
the site memo): two lists it keys alike are shown alike by corpus-pages.xsl's download-items,
for sizes around every rounding boundary (bytes/kB/MB, kB ties at .5, MB tenths)."""

import random
from pathlib import Path

from lxml import etree

from teikit.transform.site.output import shown_sizes

XSLT = Path(__file__).resolve().parents[1] / "xslt"

WRAPPER = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="corpus-pages.xsl"/>
  <xsl:param name="sizes"/>
  <xsl:template match="/"><out><xsl:call-template name="download-items">
    <xsl:with-param name="rest" select="concat($sizes, '&#10;')"/></xsl:call-template></out></xsl:template>
</xsl:stylesheet>"""


def _shown_by_the_stylesheet(sizes):
    transform = etree.XSLT(etree.fromstring(WRAPPER, base_url=str(XSLT / "wrapper.xsl")))
    shown = []
    for at in range(0, len(sizes), 500):  # (the template calls itself once a line)
        lines = "\n".join(f"tei.zip\tTEI\t{size}" for size in sizes[at:at + 500])
        out = transform(etree.fromstring(b"<x/>"), sizes=etree.XSLT.strparam(lines)).getroot()
        shown += [" ".join("".join(li.itertext()).split()) for li in out.iter("li")]
    return shown


def test_sizes_keyed_alike_are_shown_alike():
    rng = random.Random(3)
    sizes = set(range(0, 3000)) | {2 ** 53 - 1}
    for n in range(1, 40):
        for base in (1024 * n + 512, n * 1048576, int((n + 0.05) * 1048576), int((n * 10 + 5) * 104857.6) // 10):
            sizes.update(range(base - 3, base + 4))
    for n in range(0, 400):  # every halfway tenth of a MB, and around it
        sizes.update(range(int((n + 0.5) * 104857.6) - 2, int((n + 0.5) * 104857.6) + 3))
    sizes.update(rng.randrange(0, 50 * 1048576) for _ in range(3000))
    sizes = sorted(s for s in sizes if s >= 0)
    shown = _shown_by_the_stylesheet(sizes)
    assert len(shown) == len(sizes)
    seen = {}
    for size, text in zip(sizes, shown):
        k = shown_sizes([("tei.zip", "TEI", size)])
        assert seen.setdefault(k, text) == text, (size, k, text, seen[k])
