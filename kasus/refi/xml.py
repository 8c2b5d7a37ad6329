"""XML for REFI-QDA: the two namespaces, a parser that refuses entities, schema validation."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from lxml import etree

from kasus.errors import KasusError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_LOCATION = {
    PROJECT_NS: "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd",
    CODEBOOK_NS: "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd",
}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# XML 1.0 cannot hold these code points at all (not even escaped): a note with a stray
# control character would make the whole file unreadable for the receiving tool.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# REFI files never need a DTD; one with entity declarations is either broken or an attack
# (billion laughs, external entities reading local files).
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def xml_text(value: str) -> str:
    """value with the characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def parse_xml(data: bytes, where: str) -> etree._Element:
    """The root element of data, refusing DTDs and entities; where names the file in errors."""
    if _DTD.search(data):
        raise KasusError(f"{where}: declares a DTD or entities, which REFI-QDA files never do",
                         "refused for safety; export the file again from its tool")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise KasusError(f"{where}: not well-formed XML ({error})",
                         "the file is damaged; export it again from its tool") from None


def local(element: etree._Element) -> str:
    """An element's name without its namespace (tools disagree on whether they use one)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


@cache
def _schema(name: str) -> etree.XMLSchema:
    text = resources.files("kasus.refi").joinpath("schemas", name).read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def schema_errors(root: etree._Element) -> list[str]:
    """What makes root invalid against Project.xsd or Codebook.xsd (by its namespace)."""
    namespace = etree.QName(root).namespace
    schema = _schema("Project.xsd" if namespace == PROJECT_NS else "Codebook.xsd")
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
