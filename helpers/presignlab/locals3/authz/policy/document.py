"""IAM policy documents: parsing and validation into :class:`Policy` / :class:`Statement`.

:func:`parse_policy` reads JSON text (or a decoded dict) and raises :class:`PolicyError` for a
document IAM or S3 would refuse; the strict local S3 answers that with ``MalformedPolicy``.
Single values and lists are accepted everywhere; numbers and booleans in conditions become
strings (``true`` / ``false``). Policy variables are substituted only for ``"Version":
"2012-10-17"`` (:attr:`Policy.variables`).

UNCONFIRMED choice: the :class:`PolicyError` messages (S3's ``MalformedPolicy`` texts as
commonly reported; ``Policies must be valid JSON and the first byte must be '{'`` is the best
attested).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ...wire.limits import json_too_deep
from .conditions import ConditionError, split_operator

__all__ = ["VARIABLES_VERSION", "Policy", "PolicyError", "Statement", "parse_policy"]

VARIABLES_VERSION = "2012-10-17"
_VERSIONS = ("2012-10-17", "2008-10-17")
_STATEMENT_FIELDS = frozenset(
    [
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    ]
)
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")


class PolicyError(ValueError):
    """A policy document that IAM or S3 would refuse (S3 answers ``MalformedPolicy``)."""


@dataclass(frozen=True)
class Statement:
    """One parsed statement. ``None`` for an element means it is absent."""

    effect: Literal["Allow", "Deny"]
    actions: tuple[str, ...]
    resources: tuple[str, ...] | None
    not_action: bool = False
    not_resource: bool = False
    principals: Mapping[str, tuple[str, ...]] | None = None
    not_principal: bool = False
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    sid: str | None = None


@dataclass(frozen=True)
class Policy:
    """A parsed policy document; ``variables`` says whether ``${...}`` is substituted."""

    statements: tuple[Statement, ...]
    version: str | None = None
    source: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def variables(self) -> bool:
        return self.version == VARIABLES_VERSION


def _strings(value: Any, what: str) -> tuple[str, ...]:
    """A single value or a list as a tuple of strings (booleans as ``true`` / ``false``)."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, (str, int, float)):
            out.append(str(item))
        else:
            raise PolicyError(
                f"Invalid policy syntax: {what} must be a string or a list of strings"
            )
    if not out:
        raise PolicyError(f"Invalid policy syntax: {what} must not be empty")
    return tuple(out)


def _principals(value: Any) -> Mapping[str, tuple[str, ...]]:
    if value == "*":
        return {"AWS": ("*",)}
    if not isinstance(value, dict) or not value:
        raise PolicyError("Invalid principal in policy")
    out: dict[str, tuple[str, ...]] = {}
    for kind, names in value.items():
        if kind not in _PRINCIPAL_TYPES:
            raise PolicyError("Invalid principal in policy")
        out[kind] = _strings(names, "Principal")
        for name in out[kind] if kind == "AWS" else ():
            if name != "*" and not (re.fullmatch(r"\d{12}", name) or name.startswith("arn:")):
                raise PolicyError("Invalid principal in policy")
    return out


def _conditions(value: Any) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise PolicyError("Invalid policy syntax: Condition must be an object")
    out = []
    for op_name, entries in value.items():
        try:
            split_operator(op_name)
        except ConditionError as exc:
            raise PolicyError(f"Invalid Condition type : {op_name}") from exc
        if not isinstance(entries, dict):
            raise PolicyError(f"Invalid policy syntax: {op_name} must map keys to values")
        out += [(op_name, key, _strings(wanted, key)) for key, wanted in entries.items()]
    return tuple(out)


def _statement(raw: Any, resource_policy: bool | None, require_resource: bool) -> Statement:
    if not isinstance(raw, dict):
        raise PolicyError("Invalid policy syntax: a Statement must be an object")
    unknown = sorted(set(raw) - _STATEMENT_FIELDS)
    if unknown:
        raise PolicyError(f"Unknown field {unknown[0]}")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(
            f"Invalid effect: {effect}" if effect else "Missing required field Effect"
        )
    if ("Action" in raw) == ("NotAction" in raw):
        raise PolicyError("Missing required field Action")
    if ("Resource" in raw) and ("NotResource" in raw):
        raise PolicyError("Invalid policy syntax: both Resource and NotResource")
    if require_resource and "Resource" not in raw and "NotResource" not in raw:
        raise PolicyError("Missing required field Resource")
    if ("Principal" in raw) and ("NotPrincipal" in raw):
        raise PolicyError("Invalid principal in policy")
    has_principal = "Principal" in raw or "NotPrincipal" in raw
    if resource_policy is True and not has_principal:
        raise PolicyError("Missing required field Principal")
    if resource_policy is False and has_principal:
        raise PolicyError("Policy document should not specify a principal.")
    actions = _strings(raw.get("Action", raw.get("NotAction")), "Action")
    if any(a != "*" and not re.fullmatch(r"[A-Za-z0-9-]+:[A-Za-z0-9*?]*", a) for a in actions):
        raise PolicyError("Policy has invalid action")
    return Statement(
        effect=effect,
        actions=actions,
        not_action="NotAction" in raw,
        resources=_strings(raw.get("Resource", raw.get("NotResource")), "Resource")
        if "Resource" in raw or "NotResource" in raw
        else None,
        not_resource="NotResource" in raw,
        principals=_principals(raw.get("Principal", raw.get("NotPrincipal")))
        if has_principal
        else None,
        not_principal="NotPrincipal" in raw,
        conditions=_conditions(raw["Condition"]) if "Condition" in raw else (),
        sid=raw.get("Sid") if isinstance(raw.get("Sid"), str) else None,
    )


def parse_policy(
    document: str | bytes | Mapping[str, Any],
    *,
    resource_policy: bool | None = False,
    require_resource: bool = True,
) -> Policy:
    """Parse a policy document (JSON text or a decoded dict).

    A document nested deeper than :data:`~presignlab.locals3.wire.limits.MAX_JSON_DEPTH` is
    refused before it is parsed. ``require_resource=False`` for a role's trust policy (which has
    no Resource element).
    ``resource_policy=True`` for bucket policies: each statement then needs a Principal or
    NotPrincipal; ``False`` for identity policies, which must have none; ``None`` accepts
    both. Raises :class:`PolicyError`.
    """
    if isinstance(document, Mapping):
        raw: Any = dict(document)
    else:
        text = document.decode("utf-8", "replace") if isinstance(document, bytes) else document
        if json_too_deep(text):
            raise PolicyError("Invalid policy syntax.")
        try:
            raw = json.loads(text) if text.lstrip().startswith("{") else None
        except ValueError:
            raw = None
        if raw is None:
            raise PolicyError("Policies must be valid JSON and the first byte must be '{'")
    if not isinstance(raw, dict):
        raise PolicyError("Policies must be valid JSON and the first byte must be '{'")
    unknown = sorted(set(raw) - {"Version", "Id", "Statement"})
    if unknown:
        raise PolicyError(f"Unknown field {unknown[0]}")
    version = raw.get("Version")
    if version is not None and version not in _VERSIONS:
        raise PolicyError("Invalid Version")
    if "Statement" not in raw:
        raise PolicyError("Missing required field Statement")
    statements = raw["Statement"] if isinstance(raw["Statement"], list) else [raw["Statement"]]
    if not statements:
        raise PolicyError("Missing required field Statement")
    return Policy(
        tuple(_statement(s, resource_policy, require_resource) for s in statements), version, raw
    )
