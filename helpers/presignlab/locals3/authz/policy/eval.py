"""A pure IAM policy evaluator: identity policies and resource (bucket) policies.

:func:`evaluate` answers ``"Deny"`` if any applicable statement denies, else ``"Allow"`` if
any allows, else ``"ImplicitDeny"`` (AWS IAM User Guide, "Policy evaluation logic").

A statement applies when its Principal (resource policies only,
:func:`~presignlab.locals3.policy_principals.principal_matches`), Action, Resource and
Condition (:mod:`presignlab.locals3.policy_conditions`) all match. Actions match
case-insensitively, resources case-sensitively, both with ``*`` / ``?`` wildcards;
``NotAction`` / ``NotResource`` / ``NotPrincipal`` invert the match. Documents are parsed by
:mod:`presignlab.locals3.policy_document`, whose :class:`Policy`, :class:`PolicyError` and
:func:`parse_policy` are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from .conditions import Context, condition_matches, wildcard_regex
from .document import Policy, PolicyError, Statement, parse_policy
from .principals import principal_matches

__all__ = ["Decision", "Policy", "PolicyError", "Statement", "evaluate", "parse_policy"]

Decision = Literal["Allow", "Deny", "ImplicitDeny"]


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
            if principal_matches(statement.principals, caller, context, members=False):
                return False
        elif not principal_matches(
            statement.principals, caller, context, members=members or statement.effect == "Deny"
        ):
            return False
    action_hit = any(
        (r := wildcard_regex(a, {}, variables=False, ignore_case=True)) and r.fullmatch(action)
        for a in statement.actions
    )
    if action_hit == statement.not_action:
        return False
    if statement.resources is not None:  # a trust policy's statements name no resource
        resource_hit = any(
            (r := wildcard_regex(p, context, variables=policy.variables)) and r.fullmatch(resource)
            for p in statement.resources
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

    ``principal_arn`` is the caller (None for an anonymous request). ``context`` maps condition
    keys (any case) to a value or a list of values. ``account_allow_matches_members=False``
    makes an account principal in an ``Allow`` match only that account's root (same-account
    evaluation of a bucket policy). Documents that are not yet a :class:`Policy` are parsed
    with :func:`parse_policy` (``resource_policy=None``).
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
