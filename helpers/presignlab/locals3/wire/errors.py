"""S3 error responses in AWS's exact XML envelope.

``<?xml version="1.0" encoding="UTF-8"?>\\n<Error><Code/><Message/>[extra elements]
<RequestId/><HostId/></Error>`` with ``Content-Type: application/xml`` and the matching
``x-amz-request-id`` / ``x-amz-id-2`` headers (RESP-01).
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["S3Error", "new_request_ids"]

#: Characters XML 1.0 cannot carry, even as character references (a control character from a
#: header echoed in ``<CanonicalRequest>``); they become U+FFFD so the body stays parseable.
#: ``<CanonicalRequestBytes>`` still holds the exact bytes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def new_request_ids() -> tuple[str, str]:
    """A fresh ``(RequestId, HostId)`` pair shaped like AWS's (16 upper-case hex; base64)."""
    request_id = os.urandom(8).hex().upper()
    host_id = base64.b64encode(os.urandom(54)).decode("ascii")
    return request_id, host_id


@dataclass
class S3Error(Exception):
    """An S3 error answer. ``extra`` holds the additional elements, in AWS's order."""

    status: int
    code: str
    message: str
    extra: Sequence[tuple[str, str]] = field(default_factory=tuple)
    headers: Sequence[tuple[str, str]] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        Exception.__init__(self, f"{self.status} {self.code}: {self.message}")

    def to_xml(self, request_id: str, host_id: str) -> bytes:
        """The XML body, RequestId and HostId last."""
        parts = [f"<Code>{_text(self.code)}</Code><Message>{_text(self.message)}</Message>"]
        parts += [f"<{name}>{_text(value)}</{name}>" for name, value in self.extra]
        parts.append(f"<RequestId>{request_id}</RequestId><HostId>{escape(host_id)}</HostId>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(parts) + "</Error>"
        ).encode("utf-8", "replace")

    def response_headers(self, request_id: str, host_id: str, body: bytes) -> list[tuple[str, str]]:
        """Headers for the error response (the WSGI list form)."""
        return [
            ("Content-Type", "application/xml"),
            ("Content-Length", str(len(body))),
            ("x-amz-request-id", request_id),
            ("x-amz-id-2", host_id),
            ("Server", "AmazonS3"),
            *self.headers,
        ]
