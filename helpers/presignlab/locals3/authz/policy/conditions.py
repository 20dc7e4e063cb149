"""IAM policy ``Condition`` operators and policy variables, as pure functions.

Facts (AWS IAM User Guide, "IAM JSON policy elements: Condition operators" and "Conditions
with multiple context keys or values"):

* operators in a block AND together, keys under one operator AND together, the values listed
  for one key OR together, except for negated operators (``StringNotEquals``, ``NotIpAddress``,
  ``ArnNotLike``, ...) where they NOR together;
* a key missing from the request context makes the condition false, except for negated
  operators (true), ``...IfExists`` (true) and ``Null`` (tests presence);
* ``ForAnyValue:`` is true when some context value matches (false when the key is missing);
  ``ForAllValues:`` is true when every context value matches (true when the key is missing);
* condition key names are case-insensitive; values are case-sensitive unless the operator
  says ``IgnoreCase``; ``StringLike`` / ``ArnLike`` take ``*`` and ``?`` wildcards;
* policy variables ``${aws:username}``, ``${key, 'default'}`` and the escapes ``${*}``,
  ``${?}``, ``${$}`` are replaced only in policies with ``"Version": "2012-10-17"``; an
  unresolved variable without a default makes that value match nothing.

UNCONFIRMED choices:

* without a set prefix, a multi-valued context key behaves as ``ForAnyValue`` for positive
  operators and as "no context value matches" for negated ones;
* ``ArnEquals`` also takes wildcards (AWS documents it as equivalent to ``ArnLike``);
* dates are ISO 8601 (``Z`` or an offset; a date-only value is midnight UTC) or epoch seconds;
* unknown operators raise :class:`ConditionError` (IAM rejects them when a policy is written).
"""

from __future__ import annotations

import ipaddress
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "OPERATORS",
    "ConditionError",
    "Context",
    "condition_matches",
    "split_operator",
    "substitute",
    "wildcard_regex",
]

Context = Mapping[str, Sequence[str]]
"""Request context: lower-cased key -> values (one value for single-valued keys)."""

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class ConditionError(ValueError):
    """A condition block IAM would not accept (unknown operator, bad shape)."""


def _resolve_variable(body: str, context: Context) -> str | None:
    """The value of one ``${...}`` body, or None when its key is absent and has no default."""
    if body in _ESCAPES:
        return _ESCAPES[body]
    key, sep, default = body.partition(",")
    values = context.get(key.strip().lower())
    if values:
        return values[0]
    if sep:
        default = default.strip()
        if len(default) >= 2 and default[0] == default[-1] == "'":
            return default[1:-1]
    return None


def _pieces(text: str, context: Context, variables: bool) -> list[tuple[bool, str]] | None:
    """``text`` split into (is_literal_substitution, piece); None if a variable is unresolved."""
    if not variables:
        return [(False, text)]
    out: list[tuple[bool, str]] = []
    pos = 0
    for found in _VARIABLE.finditer(text):
        out.append((False, text[pos : found.start()]))
        value = _resolve_variable(found.group(1), context)
        if value is None:
            return None
        out.append((True, value))
        pos = found.end()
    out.append((False, text[pos:]))
    return out


def substitute(text: str, context: Context, variables: bool = True) -> str | None:
    """``text`` with its policy variables replaced, or None when one cannot be resolved."""
    pieces = _pieces(text, context, variables)
    return None if pieces is None else "".join(p for _, p in pieces)


def wildcard_regex(
    pattern: str, context: Context, *, variables: bool = True, ignore_case: bool = False
) -> re.Pattern[str] | None:
    """A full-match regex for an IAM wildcard pattern (``*`` any run, ``?`` one character).

    Substituted variable values (``${*}`` included) match literally. None when a variable
    cannot be resolved.
    """
    pieces = _pieces(pattern, context, variables)
    if pieces is None:
        return None
    parts: list[str] = []
    for literal, piece in pieces:
        if literal:
            parts.append(re.escape(piece))
        else:
            parts += [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in piece]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _parse_date(text: str) -> datetime | None:
    try:
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return datetime.fromtimestamp(float(text), UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


Matcher = Callable[[str, str, Context, bool], bool]
"""(context value, policy value, context for variables, variables enabled) -> match?"""


def _string_eq(ignore_case: bool) -> Matcher:
    def match(actual: str, wanted: str, ctx: Context, variables: bool) -> bool:
        value = substitute(wanted, ctx, variables)
        if value is None:
            return False
        return actual.lower() == value.lower() if ignore_case else actual == value

    return match


def _like(actual: str, wanted: str, ctx: Context, variables: bool) -> bool:
    regex = wildcard_regex(wanted, ctx, variables=variables)
    return bool(regex and regex.fullmatch(actual))


def _compare(parse: Callable[[str], Any], test: Callable[[Any, Any], Any]) -> Matcher:
    def match(actual: str, wanted: str, ctx: Context, variables: bool) -> bool:
        left, right = parse(actual), parse(wanted)
        return left is not None and right is not None and bool(test(left, right))

    return match


def _bool(actual: str, wanted: str, ctx: Context, variables: bool) -> bool:
    return actual.lower() == wanted.lower()


def _ip(actual: str, wanted: str, ctx: Context, variables: bool) -> bool:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(wanted, strict=False)
    except ValueError:
        return False


def _arn(actual: str, wanted: str, ctx: Context, variables: bool) -> bool:
    if actual.count(":") < 5:
        return False
    return _like(actual, wanted, ctx, variables)


_EQ, _LT, _LE, _GT, _GE = operator.eq, operator.lt, operator.le, operator.gt, operator.ge

# name -> (matcher, negated)
OPERATORS: dict[str, tuple[Matcher, bool]] = {
    "StringEquals": (_string_eq(False), False),
    "StringNotEquals": (_string_eq(False), True),
    "StringEqualsIgnoreCase": (_string_eq(True), False),
    "StringNotEqualsIgnoreCase": (_string_eq(True), True),
    "StringLike": (_like, False),
    "StringNotLike": (_like, True),
    "NumericEquals": (_compare(_parse_number, _EQ), False),
    "NumericNotEquals": (_compare(_parse_number, _EQ), True),
    "NumericLessThan": (_compare(_parse_number, _LT), False),
    "NumericLessThanEquals": (_compare(_parse_number, _LE), False),
    "NumericGreaterThan": (_compare(_parse_number, _GT), False),
    "NumericGreaterThanEquals": (_compare(_parse_number, _GE), False),
    "DateEquals": (_compare(_parse_date, _EQ), False),
    "DateNotEquals": (_compare(_parse_date, _EQ), True),
    "DateLessThan": (_compare(_parse_date, _LT), False),
    "DateLessThanEquals": (_compare(_parse_date, _LE), False),
    "DateGreaterThan": (_compare(_parse_date, _GT), False),
    "DateGreaterThanEquals": (_compare(_parse_date, _GE), False),
    "Bool": (_bool, False),
    "IpAddress": (_ip, False),
    "NotIpAddress": (_ip, True),
    "ArnEquals": (_arn, False),
    "ArnNotEquals": (_arn, True),
    "ArnLike": (_arn, False),
    "ArnNotLike": (_arn, True),
}


def split_operator(name: str) -> tuple[str | None, str, bool]:
    """``ForAnyValue:StringLikeIfExists`` -> (``ForAnyValue``, ``StringLike``, True)."""
    qualifier, _, base = name.rpartition(":")
    if qualifier and qualifier.lower() not in ("foranyvalue", "forallvalues"):
        raise ConditionError(f"unknown condition set operator {qualifier!r}")
    if_exists = base.endswith("IfExists")
    if if_exists:
        base = base[: -len("IfExists")]
    if base != "Null" and base not in OPERATORS:
        raise ConditionError(f"unknown condition operator {name!r}")
    if base == "Null" and (if_exists or qualifier):
        raise ConditionError(f"unknown condition operator {name!r}")
    return (qualifier.lower() if qualifier else None), base, if_exists


def condition_matches(
    op_name: str, key: str, wanted: Sequence[str], context: Context, *, variables: bool = True
) -> bool:
    """Whether one ``operator: {key: wanted}`` entry holds for ``context``."""
    qualifier, base, if_exists = split_operator(op_name)
    actual = list(context.get(key.lower(), ()))
    if base == "Null":
        return all((not actual) == (w.lower() == "true") for w in wanted)
    matcher, negated = OPERATORS[base]
    if not actual:
        if qualifier == "forallvalues":
            return True
        if qualifier == "foranyvalue":
            return False
        return if_exists or negated

    def hits(value: str) -> bool:
        return any(matcher(value, w, context, variables) for w in wanted)

    if qualifier == "forallvalues":
        return all(hits(v) != negated for v in actual)
    if qualifier == "foranyvalue":
        return any(hits(v) != negated for v in actual)
    if negated:
        return not any(hits(v) for v in actual)
    return any(hits(v) for v in actual)
