"""Namespace constants and Clark-notation helpers."""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS, "xml": XML_NS}


def tei(local: str) -> str:
    """Clark name of a TEI element: tei("p") -> "{http://www.tei-c.org/ns/1.0}p"."""
    return f"{{{TEI_NS}}}{local}"


def xml(local: str) -> str:
    """Clark name of an attribute in the XML namespace (xml:id, xml:lang)."""
    return f"{{{XML_NS}}}{local}"
