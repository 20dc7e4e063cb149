"""Readers for what users have: a browser's "Copy as cURL", a HAR file, a bucket's CORS rules.

- :mod:`.curl` (with :mod:`.shell_words`): :func:`parse_curl`;
- :mod:`.har`: :func:`parse_har` and :func:`failed_s3_cases`;
- :mod:`.cors_config`: :func:`parse_cors_rules`.

Each raises :class:`InputError` for text it cannot read, with what to give instead.
"""

from __future__ import annotations

from .cors_config import CorsRule, parse_cors_rules
from .curl import CurlRequest, parse_curl
from .errors import InputError
from .har import HarCase, HarExchange, failed_s3_cases, parse_har

__all__ = [
    "CorsRule",
    "CurlRequest",
    "HarCase",
    "HarExchange",
    "InputError",
    "failed_s3_cases",
    "parse_cors_rules",
    "parse_curl",
    "parse_har",
]
