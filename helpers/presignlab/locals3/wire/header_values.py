"""Header values S3 cannot send as they are: metadata in RFC 2047 form, overrides it refuses.

HTTP header values travel as ISO-8859-1 bytes. S3 answers (docs/aws-behaviour.md):

* user metadata (``x-amz-meta-*``) that is not printable ASCII is stored and returned in RFC 2047
  form, ``=?UTF-8?Q?…?=`` (each non-ASCII byte ``=XX`` in upper-case hex, a space ``_``, and
  ``_``, ``?``, ``=`` encoded) or, when the value holds control characters or U+FFFD,
  ``=?UTF-8?B?…?=``; a header value already in RFC 2047 form is decoded first (RESP-04,
  CHOICE-102);
* other headers are stored as the bytes that were sent (a UTF-8 ``Cache-Control`` comes back as
  the same bytes, which an ISO-8859-1 reader shows as mojibake);
* a ``response-*`` override that ISO-8859-1 cannot represent is 400 InvalidArgument naming the
  parameter and its decoded value (RESP-05, CHOICE-101).
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterable

from .catalogue import header_not_iso_8859_1

__all__ = [
    "as_sent_bytes",
    "check_response_overrides",
    "metadata_value",
    "rfc2047",
]

_PRINTABLE = re.compile(r"[\x20-\x7e\t]*")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\ufffd]")
_ENCODED = re.compile(r"=\?UTF-8\?([QqBb])\?([^?]*)\?=")
_Q_SAFE = frozenset(
    b"!\"#$%&'()*+,-./0123456789:;<>@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^`abcdefghijklmnopqrstuvwxyz{|}~"
)


def rfc2047(value: str) -> str:
    """``value`` in the RFC 2047 form S3 stores, or unchanged when it is printable ASCII."""
    if _PRINTABLE.fullmatch(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    if _CONTROL.search(value):
        return "=?UTF-8?B?" + base64.b64encode(data).decode("ascii") + "?="
    encoded = "".join(
        "_" if byte == 0x20 else chr(byte) if byte in _Q_SAFE else f"={byte:02X}" for byte in data
    )
    return f"=?UTF-8?Q?{encoded}?="


def _decoded(value: str) -> str:
    match = _ENCODED.fullmatch(value.strip())
    if match is None:
        return value
    kind, text = match.groups()
    try:
        if kind in "Bb":
            raw = base64.b64decode(text, validate=True)
        else:
            raw = quopri.decodestring(text.replace("_", " ").encode("ascii"), header=True)
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return value


def metadata_value(value: str, *, decode_encoded: bool = True) -> str:
    """A user-metadata value as S3 stores it (header input is RFC 2047-decoded first)."""
    return rfc2047(_decoded(value) if decode_encoded else value)


def as_sent_bytes(value: str) -> str:
    """A header value as the ISO-8859-1 string of the bytes that were sent (UTF-8)."""
    return value.encode("utf-8", "surrogateescape").decode("latin-1")


def check_response_overrides(query: Iterable[tuple[str, str]]) -> None:
    """RESP-05: the first ``response-*`` value ISO-8859-1 cannot carry is 400 InvalidArgument."""
    for name, value in query:
        if not name.startswith("response-"):
            continue
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise header_not_iso_8859_1(name, value) from None
