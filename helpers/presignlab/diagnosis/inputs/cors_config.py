"""Read a bucket's CORS configuration, as JSON or XML, into boto3's rule shape.

Accepted: the JSON of ``aws s3api get-bucket-cors`` (``{"CORSRules": [...]}``), the JSON
list the S3 console edits (``[{"AllowedOrigins": [...], ...}]``), a boto3
``CORSConfiguration`` dict, and the XML of ``GetBucketCors`` / ``PutBucketCors``
(``<CORSConfiguration><CORSRule><AllowedOrigin>...``), with or without its namespace.
Input is bounded in size, XML declaring a DOCTYPE or an entity is refused unread, and
anything else raises :class:`~.errors.InputError` saying what to give instead.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from .errors import InputError

__all__ = ["MAX_CORS_CONFIG", "CorsRule", "parse_cors_rules"]

#: The largest configuration read, in bytes (S3 allows 100 rules; a real one is a few KiB).
MAX_CORS_CONFIG = 256 * 1024
CorsRule = dict[str, Any]
_LISTS = ("AllowedOrigins", "AllowedMethods", "AllowedHeaders", "ExposeHeaders")
_XML_NAMES = {"AllowedOrigin": "AllowedOrigins", "AllowedMethod": "AllowedMethods",
              "AllowedHeader": "AllowedHeaders", "ExposeHeader": "ExposeHeaders"}  # fmt: skip
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_HELP = (
    "Give the bucket's CORS configuration as JSON (aws s3api get-bucket-cors --bucket NAME) or "
    "as the XML S3 returns, with at least one rule naming AllowedOrigins and AllowedMethods."
)


def _rule(raw: object, at: int) -> CorsRule:
    if not isinstance(raw, dict):
        raise InputError(f"CORS rule {at + 1} is not an object. {_HELP}")
    rule: CorsRule = {}
    for name in _LISTS:
        value = raw.get(name)
        if value is None:
            continue
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise InputError(f"{name} of CORS rule {at + 1} must be a list of strings.")
        rule[name] = list(items)
    if not rule.get("AllowedOrigins") or not rule.get("AllowedMethods"):
        raise InputError(f"CORS rule {at + 1} has no AllowedOrigins or no AllowedMethods. {_HELP}")
    for key in ("ID", "MaxAgeSeconds"):
        if isinstance(raw.get(key), (str, int)) and not isinstance(raw.get(key), bool):
            rule[key] = raw[key]
    return rule


def _from_json(data: object) -> list[CorsRule]:
    if isinstance(data, dict):
        data = data.get("CORSConfiguration", data)
    if isinstance(data, dict):
        data = data.get("CORSRules")
    if not isinstance(data, list) or not data:
        raise InputError(f"The JSON holds no list of CORS rules. {_HELP}")
    return [_rule(item, i) for i, item in enumerate(data[:100])]


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _from_xml(raw: bytes) -> list[CorsRule]:
    if _DECLARATION.search(raw):
        raise InputError(
            "The XML declares a DOCTYPE or an entity, which a CORS configuration never does."
        )
    try:
        root = ET.fromstring(raw)
    except (ET.ParseError, LookupError) as exc:
        raise InputError(f"The CORS configuration is not well-formed XML ({exc}). {_HELP}") from exc
    rules = []
    for element in root.iter():
        if _local(element.tag) != "CORSRule":
            continue
        rule: dict[str, Any] = {}
        for child in element:
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name in _XML_NAMES:
                rule.setdefault(_XML_NAMES[name], []).append(text)
            elif name in ("ID", "MaxAgeSeconds"):
                rule[name] = text
        rules.append(rule)
    if not rules:
        raise InputError(f"The XML has no <CORSRule>. {_HELP}")
    return [_rule(r, i) for i, r in enumerate(rules[:100])]


def parse_cors_rules(data: str | bytes) -> list[CorsRule]:
    """The CORS rules of a configuration given as JSON or XML text."""
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if len(raw) > MAX_CORS_CONFIG:
        raise InputError(
            f"This CORS configuration is {len(raw)} bytes; at most {MAX_CORS_CONFIG} are read."
        )
    text = raw.lstrip()
    if text.startswith(b"<"):
        return _from_xml(raw)
    try:
        return _from_json(json.loads(raw))
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"The CORS configuration is neither JSON nor XML. {_HELP}") from exc
