"""XML bodies checked before moto parses them: well-formed, no DTD, no entities, bounded nesting.

moto reads configuration bodies (CORS, tagging, lifecycle, DeleteObjects, ...) with an XML
parser that expands entities and recurses per level, so a hostile body could answer 500 or make
the server work without bound. S3 answers such a body 400 MalformedXML "The XML you provided was
not well-formed or did not validate against our published schema" (LIMIT-02); so does this
check, for a body that is not well-formed, declares a DOCTYPE or an entity, or nests deeper than
:data:`~presignlab.locals3.wire.limits.MAX_XML_DEPTH`.
"""

from __future__ import annotations

from xml.parsers import expat

from ..wire.catalogue import malformed_xml
from ..wire.limits import MAX_XML_DEPTH

__all__ = ["check_xml_body"]


class _Refused(Exception):
    """The body uses a feature S3's schemas never need."""


def check_xml_body(body: bytes, *, max_depth: int = MAX_XML_DEPTH) -> None:
    """Raise 400 MalformedXML unless ``body`` is plain, well-formed XML (an empty body passes)."""
    if not body.strip():
        return
    parser = expat.ParserCreate()
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > max_depth:
            raise _Refused

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def refuse(*_: object) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        parser.Parse(body, True)
    except (_Refused, expat.ExpatError, ValueError) as exc:
        raise malformed_xml() from exc
