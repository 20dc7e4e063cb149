"""Read an Amazon S3 XML error body into a typed :class:`S3ErrorBody`.

S3 answers every failed REST request with ``<Error><Code/><Message/>[extra elements]
<RequestId/><HostId/></Error>`` (reference, "Common envelope"). A SignatureDoesNotMatch body
for SigV4 query authentication also echoes what S3 computed: ``StringToSign``,
``SignatureProvided``, ``StringToSignBytes``, ``CanonicalRequest`` and
``CanonicalRequestBytes`` (lower-case hex, one byte per group; LocalStack writes upper-case
two-byte groups, both are read).

The parser is defensive: the input is bounded in size, any DOCTYPE or entity declaration is
refused (no entity expansion can happen), and text that is not an S3 error body, including a
truncated one, raises :class:`~presignlab.errors.ErrorBodyError` with a message that says what
to paste instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..errors import ErrorBodyError

__all__ = ["MAX_ERROR_BODY", "S3ErrorBody", "parse_error_body"]

#: Largest body accepted, in bytes. Real S3 error bodies are a few kilobytes.
MAX_ERROR_BODY = 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_START = re.compile(rb"<\?xml|<Error[\s>]")
_HEX = re.compile(r"^[0-9A-Fa-f\s]*$")


@dataclass(frozen=True)
class S3ErrorBody:
    """An S3 error body. ``fields`` holds every child element but Code and Message, in order."""

    code: str
    message: str
    fields: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str | None:
        """The text of the first element ``name``, or None."""
        return next((v for n, v in self.fields if n == name), None)

    @property
    def canonical_request(self) -> str | None:
        """What S3 computed: from CanonicalRequestBytes when readable, else CanonicalRequest."""
        return _from_hex(self.get("CanonicalRequestBytes")) or self.get("CanonicalRequest")

    @property
    def string_to_sign(self) -> str | None:
        """The string to sign S3 computed (SigV4, SigV2, or the policy of a POST form)."""
        return _from_hex(self.get("StringToSignBytes")) or self.get("StringToSign")

    @property
    def headers_not_signed(self) -> tuple[str, ...]:
        """The names in ``<HeadersNotSigned>`` (lower-case, ``", "``-separated by S3)."""
        value = self.get("HeadersNotSigned") or ""
        return tuple(h.strip().lower() for h in value.split(",") if h.strip())

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view; RequestId and HostId are left out (they vary, and they are not causes)."""
        data: dict[str, object] = {"code": self.code, "message": self.message}
        for name, value in self.fields:
            if name not in ("RequestId", "HostId") and not name.endswith("Bytes"):
                data.setdefault(name, value)
        return data


def _from_hex(value: str | None) -> str | None:
    if not value or not _HEX.match(value):
        return None
    digits = "".join(value.split())
    if len(digits) % 2:
        return None
    return bytes.fromhex(digits).decode("utf-8", "surrogateescape")


def parse_error_body(data: str | bytes) -> S3ErrorBody:
    """Parse S3's XML error body. Leading text (HTTP status line and headers) is skipped.

    Raises :class:`ErrorBodyError` for empty, oversized, truncated or non-XML input, for any
    DOCTYPE/ENTITY declaration, and for XML that is not an ``<Error>`` with a ``<Code>``.
    """
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if not isinstance(raw, bytes):
        raise ErrorBodyError(f"An S3 error body is text or bytes, not {type(data).__name__}.")
    if len(raw) > MAX_ERROR_BODY:
        raise ErrorBodyError(
            f"This error body is {len(raw)} bytes; S3 error bodies are a few kilobytes (at most "
            f"{MAX_ERROR_BODY} accepted). Paste only the XML of the response."
        )
    if _DECLARATION.search(raw):
        raise ErrorBodyError(
            "This XML declares a DOCTYPE or an entity, which S3 error bodies never do; it is refused "
            "unread (entity expansion is a known XML attack)."
        )
    start = _START.search(raw)
    if not raw.strip() or start is None:
        raise ErrorBodyError(
            "This is not an S3 XML error body: expected <?xml ...?><Error><Code>...</Code>... as S3 "
            "returns it. Paste the whole response body (curl -s prints it), not the browser's summary."
        )
    try:
        root = ET.fromstring(raw[start.start() :])
    except LookupError as exc:  # an encoding="..." Python does not know
        raise ErrorBodyError(
            f"The XML declares an encoding Python cannot read ({exc}); S3 error bodies are UTF-8."
        ) from exc
    except ET.ParseError as exc:
        raise ErrorBodyError(
            f"The error body is not well-formed XML ({exc}); it is probably truncated. Paste the "
            "whole body, from <?xml to </Error>."
        ) from exc
    if root.tag != "Error":
        raise ErrorBodyError(
            f"The XML's root element is <{root.tag[:40]}>, not <Error>: this is not an S3 error body."
        )
    children = [(child.tag, child.text or "") for child in root if isinstance(child.tag, str)]
    code = next((v for n, v in children if n == "Code"), None)
    if not code:
        raise ErrorBodyError(
            "The <Error> element has no <Code>: this is not a complete S3 error body."
        )
    message = next((v for n, v in children if n == "Message"), "")
    rest = tuple((n, v) for n, v in children if n not in ("Code", "Message"))
    return S3ErrorBody(code=code.strip(), message=message.strip(), fields=rest)
