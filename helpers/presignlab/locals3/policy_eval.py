"""A pure IAM policy evaluator: identity policies and resource (bucket) policies.

:func:`evaluate` answers ``"Deny"`` if any applicable statement denies, else ``"Allow"`` if
any allows, else ``"ImplicitDeny"`` (AWS IAM User Guide, "Policy evaluation logic").
:func:`parse_policy` reads a policy document and raises :class:`PolicyError` for one IAM or
S3 would refuse; the strict local S3 answers that with ``MalformedPolicy``.

A statement applies when its Principal (resource policies only), Action, Resource and
Condition all match. Actions match case-insensitively, resources case-sensitively, both with
``*`` / ``?`` wildcards; ``NotAction`` / ``NotResource`` / ``NotPrincipal`` invert the match.

Principals: ``"*"`` and ``{"AWS": "*"}`` match everyone, anonymous callers included. An account
(``"123456789012"`` or ``arn:aws:iam::123456789012:root``) matches that account's root, and
its other identities in ``Deny`` statements, and in ``Allow`` statements only when
``account_allow_matches_members`` (cross-account delegation; within one account an account
principal grants nothing by itself). User and role ARNs compare by account, type and name
(the path is ignored, since an assumed-role session ARN carries none); an assumed-role
session (``arn:aws:sts::A:assumed-role/R/S``) matches its role ``arn:aws:iam::A:role/R`` and
its own session ARN. ``Service``, ``Federated`` and ``CanonicalUser`` principals never match.

UNCONFIRMED choices:

* that an account principal in a ``Deny`` reaches every identity of the account, and that an
  account in ``NotPrincipal`` exempts only its root;
* a session matching its role ARN also inside ``NotPrincipal`` (AWS asks for both ARNs);
* the :class:`PolicyError` messages (S3's ``MalformedPolicy`` texts as commonly reported;
  ``Policies must be valid JSON and the first byte must be '{'`` is the best attested).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .policy_conditions import (
    ConditionError,
    Context,
    condition_matches,
    split_operator,
    wildcard_regex,
)

__all__ = ["Decision", "Policy", "PolicyError", "Statement", "evaluate", "parse_policy"]

Decision = Literal["Allow", "Deny", "ImplicitDeny"]
VARIABLES_VERSION = "2012-10-17"
_VERSIONS = ("2012-10-17", "2008-10-17")
_STATEMENT_FIELDS = {
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
}
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_ACCOUNT_ROOT = re.compile(r"arn:[\w-]+:iam::(\d{12}):root")
_IAM_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):(user|role)/(?:.*/)?([^/]+)")
_SESSION_ARN = re.compile(r"arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/[^/]+")


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


def _statement(raw: Any, resource_policy: bool | None) -> Statement:
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
    if "Resource" not in raw and "NotResource" not in raw:
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
        resources=_strings(raw.get("Resource", raw.get("NotResource")), "Resource"),
        not_resource="NotResource" in raw,
        principals=_principals(raw.get("Principal", raw.get("NotPrincipal")))
        if has_principal
        else None,
        not_principal="NotPrincipal" in raw,
        conditions=_conditions(raw["Condition"]) if "Condition" in raw else (),
        sid=raw.get("Sid") if isinstance(raw.get("Sid"), str) else None,
    )


def parse_policy(
    document: str | bytes | Mapping[str, Any], *, resource_policy: bool | None = False
) -> Policy:
    """Parse a policy document (JSON text or a decoded dict).

    ``resource_policy=True`` for bucket policies: each statement then needs a Principal or
    NotPrincipal; ``False`` for identity policies, which must have none; ``None`` accepts
    both. Raises :class:`PolicyError`.
    """
    if isinstance(document, Mapping):
        raw: Any = dict(document)
    else:
        text = document.decode("utf-8", "replace") if isinstance(document, bytes) else document
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
    return Policy(tuple(_statement(s, resource_policy) for s in statements), version, raw)


def _normal_context(context: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, value in context.items():
        if value is None:
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        out[key.lower()] = tuple(
            ("true" if v else "false") if isinstance(v, bool) else str(v) for v in items
        )
    return out


def _identity(arn: str) -> tuple[str, str, str] | None:
    """(account, ``user``/``role``, name) of a user, role or assumed-role session ARN."""
    found = _IAM_ARN.fullmatch(arn)
    if found:
        return found.group(1), found.group(2), found.group(3)
    found = _SESSION_ARN.fullmatch(arn)
    return (found.group(1), "role", found.group(2)) if found else None


def _principal_matches(
    principals: Mapping[str, tuple[str, ...]], caller: str | None, context: Context, members: bool
) -> bool:
    """Whether the caller ARN (None: anonymous) is among ``principals``."""
    names = principals.get("AWS", ())
    if "*" in names:
        return True
    if caller is None:
        return False
    caller_account = caller.split(":")[4] if caller.count(":") >= 5 else ""
    caller_ids = {
        i for i in (_identity(caller), *map(_identity, context.get("aws:principalarn", ()))) if i
    }
    for name in names:
        account = name if re.fullmatch(r"\d{12}", name) else None
        root = _ACCOUNT_ROOT.fullmatch(name)
        account = root.group(1) if root else account
        if account is not None:
            if caller == f"arn:aws:iam::{account}:root" or (members and caller_account == account):
                return True
        elif name == caller or _identity(name) in caller_ids:
            return True
    return False


def _applies(
    statement: Statement,
    policy: Policy,
    caller: str | None,
    action: str,
    resource: str,
    context: Context,
    members: bool,
) -> bool:
    if statement.principals is not None:
        if statement.not_principal:
            if _principal_matches(statement.principals, caller, context, members=False):
                return False
        elif not _principal_matches(
            statement.principals, caller, context, members=members or statement.effect == "Deny"
        ):
            return False
    action_hit = any(
        (r := wildcard_regex(a, {}, variables=False, ignore_case=True)) and r.fullmatch(action)
        for a in statement.actions
    )
    if action_hit == statement.not_action:
        return False
    resource_hit = any(
        (r := wildcard_regex(p, context, variables=policy.variables)) and r.fullmatch(resource)
        for p in statement.resources or ()
    )
    if resource_hit == statement.not_resource:
        return False
    return all(
        condition_matches(op_name, key, wanted, context, variables=policy.variables)
        for op_name, key, wanted in statement.conditions
    )


def evaluate(
    policies: Iterable[Policy | str | bytes | Mapping[str, Any]],
    *,
    principal_arn: str | None,
    action: str,
    resource: str,
    context: Mapping[str, str | Sequence[str]],
    account_allow_matches_members: bool = True,
) -> Decision:
    """``"Deny"``, ``"Allow"`` or ``"ImplicitDeny"`` for ``action`` on ``resource``.

    ``principal_arn`` is the caller (None for an anonymous request). Documents that are not
    yet a :class:`Policy` are parsed with :func:`parse_policy` (``resource_policy=None``).
    """
    ctx = _normal_context(context)
    decision: Decision = "ImplicitDeny"
    for item in policies:
        policy = item if isinstance(item, Policy) else parse_policy(item, resource_policy=None)
        for statement in policy.statements:
            if _applies(
                statement,
                policy,
                principal_arn,
                action,
                resource,
                ctx,
                account_allow_matches_members,
            ):
                if statement.effect == "Deny":
                    return "Deny"
                decision = "Allow"
    return decision
