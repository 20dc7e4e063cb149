"""Keep secrets out of what a diagnosis prints.

A diagnosis never prints the secret key, and it prints a session token only as
``[session token]``: S3 itself echoes the token inside its CanonicalRequest, but a token is a
live credential that must not end up in a terminal log, a notebook output or a bug report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..signing.sigv4 import uri_encode

__all__ = ["SECRET_MARK", "TOKEN_MARK", "redact", "token_forms"]

SECRET_MARK = "[secret key]"
TOKEN_MARK = "[session token]"
_TOKEN_NAMES = ("x-amz-security-token",)


def token_forms(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The session token(s) among query or header pairs, decoded and URI-encoded, longest first."""
    forms: set[str] = set()
    for name, value in pairs:
        if name.lower() in _TOKEN_NAMES and len(value) >= 8:
            forms |= {value, uri_encode(value)}
    return sorted(forms, key=len, reverse=True)


def redact(value: Any, *, secret: str | None = None, tokens: Iterable[str] = ()) -> Any:
    """``value`` (text, or JSON-like dicts and lists) with the secret and tokens masked."""
    marks = [(t, TOKEN_MARK) for t in tokens if t]
    if secret and len(secret) >= 8:
        marks.insert(0, (secret, SECRET_MARK))
    if not marks:
        return value
    if isinstance(value, str):
        for text, mark in marks:
            value = value.replace(text, mark)
        return value
    if isinstance(value, dict):
        return {k: redact(v, secret=secret, tokens=tokens) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, secret=secret, tokens=tokens) for v in value]
    return value
