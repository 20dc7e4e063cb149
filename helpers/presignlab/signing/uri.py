"""Strict percent-decoding of URL paths and query strings, as S3 reads them.

Bytes that are not UTF-8 survive decoding as surrogate escapes, so re-encoding with
:func:`presignlab.signing.sigv4.uri_encode` gives back exactly the bytes that were sent.
"""

from __future__ import annotations

import re

from ..errors import PresignedUrlError

__all__ = ["parse_query", "percent_decode"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def percent_decode(text: str, *, plus_is_space: bool = False, what: str = "the text") -> str:
    """Decode ``%XX`` escapes (and ``+`` when ``plus_is_space``); raise on a broken escape."""
    bad = _BAD_ESCAPE.search(text)
    if bad:
        raise PresignedUrlError(
            f"Broken percent-encoding in {what} at position {bad.start()}: '%' must be followed by "
            "two hex digits. The URL is truncated or was encoded by hand; use the URL exactly as "
            "the signer returned it."
        )
    if plus_is_space:
        text = text.replace("+", " ")
    return _ESCAPE.sub(
        lambda m: bytes.fromhex(m.group().replace("%", "")).decode("utf-8", "surrogateescape"), text
    )


def parse_query(query: str) -> list[tuple[str, str]]:
    """Decoded ``(name, value)`` pairs in order; ``+`` means space; ``a`` alone is ``("a", "")``."""
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if not item:
            continue
        name, _, value = item.partition("=")
        pairs.append(
            (
                percent_decode(name, plus_is_space=True, what="a query parameter name"),
                percent_decode(value, plus_is_space=True, what=f"the value of {name[:40]!r}"),
            )
        )
    return pairs
