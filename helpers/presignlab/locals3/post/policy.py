"""The POST policy document: decoding it and checking a form against it (POST-05, POST-06).

Pure functions, no I/O. A policy is base64 JSON ``{"expiration": "…Z", "conditions": […]}``.
Conditions are checked in the order written; each failure is echoed as written in the policy
(original key casing, ``$`` or not) as a JSON array with ``", "`` separators.

* exact match: ``{"field": "value"}`` or ``["eq", "$field", "value"]``;
* prefix: ``["starts-with", "$field", "prefix"]`` (for Content-Type every comma-separated value
  must start with the prefix, per the POST policy documentation);
* size: ``["content-length-range", min, max]``, inclusive, numbers or numeric strings;
* the ``bucket`` condition compares with the bucket the form is posted to.

Field names are matched case-insensitively, values case-sensitively. Every form field must be
named by a condition, except ``x-amz-signature``, ``signature``, ``awsaccesskeyid``, ``file``,
``policy`` and ``x-ignore-*``.

UNCONFIRMED choices:

* A correctly signed policy that is not base64 JSON gives 400 InvalidPolicyDocument ``Invalid
  Policy: Invalid JSON.`` (a tampered one fails the signature first, as recorded, POST-04).
* Missing or unreadable ``expiration`` / ``conditions``, or a condition that is neither a
  one-property object nor a 3-element array with a known operator, give 400
  InvalidPolicyDocument with the messages in :data:`_MESSAGES`.
* The policy has expired when ``now`` is after ``expiration``.
* A failed simple condition ``{"key": "v"}`` is echoed as ``["eq", "$key", "v"]``.
* A missing form field compares as the empty string.
* Exemptions: ``signature`` and ``awsaccesskeyid`` (SigV2 forms) are
  exempt like ``x-amz-signature``. Only the first extra field (in form order) is reported.
* Extra input fields are checked after all conditions.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..wire.catalogue import (
    access_denied,
    entity_too_large,
    entity_too_small,
    invalid_policy_document,
)
from ..wire.errors import S3Error
from ..wire.limits import json_too_deep

__all__ = [
    "EXEMPT_FIELDS",
    "PostPolicy",
    "check_conditions",
    "check_expiration",
    "check_extra_fields",
    "decode_policy",
]

EXEMPT_FIELDS = frozenset({"x-amz-signature", "signature", "awsaccesskeyid", "file", "policy"})
_OPERATORS = ("eq", "starts-with", "content-length-range")
_MESSAGES = {
    "json": "Invalid Policy: Invalid JSON.",
    "expiration": "Invalid Policy: Policy missing expiration.",
    "conditions": "Invalid Policy: Policy missing conditions.",
    "simple": (
        "Invalid Policy: Invalid Simple-Condition: "
        "Simple-Conditions must have exactly one property specified."
    ),
    "condition": "Invalid Policy: Invalid Condition: ",
}


@dataclass(frozen=True)
class PostPolicy:
    """A decoded policy: its expiration and its conditions, kept exactly as written."""

    expiration: datetime
    conditions: tuple[Any, ...]


def _invalid(message: str) -> S3Error:
    return invalid_policy_document(message)


def _echo(condition: Any) -> str:
    if isinstance(condition, dict):
        ((name, value),) = condition.items()
        condition = ["eq", f"${name}", value]
    return json.dumps(condition, ensure_ascii=False)


def _parse_expiration(value: Any) -> datetime:
    if not isinstance(value, str) or not value.endswith("Z"):
        raise _invalid(f"Invalid Policy: Invalid 'expiration' value: '{value}'")
    try:
        parsed = datetime.fromisoformat(value[:-1])
    except ValueError:
        raise _invalid(f"Invalid Policy: Invalid 'expiration' value: '{value}'") from None
    return parsed.replace(tzinfo=UTC)


def _validate(condition: Any) -> None:
    if isinstance(condition, dict):
        if len(condition) != 1:
            raise _invalid(_MESSAGES["simple"])
        return
    ok = (
        isinstance(condition, list)
        and len(condition) == 3
        and isinstance(condition[0], str)
        and condition[0].lower() in _OPERATORS
    )
    if not ok:
        raise _invalid(_MESSAGES["condition"] + json.dumps(condition, ensure_ascii=False))


def decode_policy(policy: str) -> PostPolicy:
    """Decode the ``policy`` form field (base64 JSON) and check its shape."""
    try:
        text = base64.b64decode(policy.encode("ascii"), validate=True)
        if json_too_deep(text):
            raise _invalid(_MESSAGES["json"])
        document = json.loads(text)
    except (binascii.Error, UnicodeError, ValueError):
        raise _invalid(_MESSAGES["json"]) from None
    if not isinstance(document, dict):
        raise _invalid(_MESSAGES["json"])
    if "expiration" not in document:
        raise _invalid(_MESSAGES["expiration"])
    expiration = _parse_expiration(document["expiration"])
    conditions = document.get("conditions")
    if not isinstance(conditions, list):
        raise _invalid(_MESSAGES["conditions"])
    for condition in conditions:
        _validate(condition)
    return PostPolicy(expiration, tuple(conditions))


def check_expiration(policy: PostPolicy, now: datetime) -> None:
    """403 AccessDenied ``Invalid according to Policy: Policy expired.``"""
    if now > policy.expiration:
        raise access_denied("Invalid according to Policy: Policy expired.")


def _failed(condition: Any) -> S3Error:
    return access_denied(
        f"Invalid according to Policy: Policy Condition failed: {_echo(condition)}"
    )


def _lookup(fields: Sequence[tuple[str, str]], name: str) -> str:
    return next((v for n, v in fields if n.lower() == name.lower()), "")


def _bound(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _check_size(condition: list[Any], size: int) -> None:
    low, high = _bound(condition[1]), _bound(condition[2])
    if low is None or high is None:
        raise _failed(condition)
    if size > high:
        raise entity_too_large(size, high)
    if size < low:
        raise entity_too_small(size, low)


def _field_name(condition: Any) -> str | None:
    """The lower-case field a condition names (None for content-length-range or a missing ``$``)."""
    if isinstance(condition, dict):
        return str(next(iter(condition))).lower()
    if condition[0].lower() == "content-length-range":
        return None
    field = condition[1]
    if not isinstance(field, str) or not field.startswith("$"):
        return None
    return field[1:].lower()


def check_conditions(
    policy: PostPolicy, fields: Sequence[tuple[str, str]], *, bucket: str, file_size: int
) -> None:
    """Check every condition, in policy order; raise the first failure."""
    for condition in policy.conditions:
        if isinstance(condition, dict):
            operator, expected = "eq", next(iter(condition.values()))
        else:
            operator, expected = condition[0].lower(), condition[2]
            if operator == "content-length-range":
                _check_size(condition, file_size)
                continue
        name = _field_name(condition)
        if name is None or not isinstance(expected, str):
            raise _failed(condition)
        actual = bucket if name == "bucket" else _lookup(fields, name)
        if operator == "eq":
            passed = actual == expected
        elif name == "content-type":
            passed = all(part.strip().startswith(expected) for part in actual.split(","))
        else:
            passed = actual.startswith(expected)
        if not passed:
            raise _failed(condition)


def check_extra_fields(policy: PostPolicy, fields: Sequence[tuple[str, str]]) -> None:
    """403 ``Invalid according to Policy: Extra input fields: <name>`` for an uncovered field."""
    covered = {_field_name(c) for c in policy.conditions} - {None}
    for name, _value in fields:
        lower = name.lower()
        if lower in EXEMPT_FIELDS or lower.startswith("x-ignore-") or lower in covered:
            continue
        raise access_denied(f"Invalid according to Policy: Extra input fields: {lower}")
