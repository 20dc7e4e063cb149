"""The evidence a diagnosis reads, checked once: the request described, S3's answer, side facts.

:func:`described_request` validates the method and headers (bad input raises
:class:`InvalidInput`, which :func:`~.engine.diagnose` turns into verdict ``invalid-input``);
:class:`Evidence` carries everything else (S3's error body, when the request was sent and
whether that is known, the body size, the bucket's CORS rules, S3's status and headers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from ..signing.sent_request import SentRequest
from ..signing.sigv4 import HeaderPairs, header_pairs
from .error_body import S3ErrorBody
from .inputs.cors_config import CorsRule, parse_cors_rules

__all__ = ["Evidence", "InvalidInput", "cors_rules", "described_request", "server_time"]

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class InvalidInput(Exception):
    """The method, a header, the body size or the CORS rules cannot be used."""


@dataclass(frozen=True)
class Evidence:
    """What is known besides the URL and the request."""

    body: S3ErrorBody | None
    now: datetime
    now_assumed: bool
    body_size: int | None = None
    cors: list[CorsRule] | None = None
    status: int | None = None
    response_headers: Mapping[str, str] | None = None


def described_request(url_text: str, method: object, headers: HeaderPairs) -> SentRequest:
    """The request sent to ``url_text``, after checking the method and each header."""
    if not isinstance(method, str) or not _TOKEN.match(method):
        raise InvalidInput(
            f"The method {str(method)[:20]!r} is not an HTTP method name (e.g. PUT, GET)."
        )
    pairs = header_pairs(headers)
    for name, value in pairs:
        if not _TOKEN.match(name):
            raise InvalidInput(f"{name[:40]!r} is not a valid header name.")
        if _BAD_VALUE.search(value):
            raise InvalidInput(
                f"The value of header {name} contains a line break or control character."
            )
    return SentRequest.to_url(url_text, method, pairs)


def server_time(body: S3ErrorBody | None) -> datetime | None:
    """S3's clock when it answered (``<ServerTime>`` of expiry errors): when the request was sent."""
    text = body.get("ServerTime") if body is not None else None
    try:
        value = datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def cors_rules(cors: object) -> list[CorsRule] | None:
    """The CORS rules given as text (JSON or XML) or as boto3-shaped rules; None when not given."""
    if cors is None:
        return None
    if isinstance(cors, (str, bytes)):
        return parse_cors_rules(cors)
    if isinstance(cors, (list, Mapping)):
        try:
            text = json.dumps(cors)
        except (TypeError, ValueError, RecursionError) as exc:
            raise InvalidInput(
                "The CORS rules must be JSON-like (dicts and lists of strings)."
            ) from exc
        return parse_cors_rules(text)
    raise InvalidInput(
        f"The CORS rules must be text or a list of rules, not {type(cors).__name__}."
    )
