"""Authorization of IAM and STS calls made to the local endpoint, as IAM decides them.

Rules (docs/aws-behaviour.md, "IAM and STS"; IAM User Guide, "Policy evaluation logic" and
"Granting a user permissions to switch roles"; STS API Reference):

* the root credential may do everything;
* an IAM user, a GetSessionToken session of a user, or an assumed-role session needs an identity
  policy allowing the action (``iam:PutUserPolicy``, ``sts:AssumeRole``, ...) on the resource;
  an explicit Deny refuses;
* ``sts:GetCallerIdentity`` and ``sts:GetSessionToken`` need no permission (STS API Reference:
  "No permissions are required to perform this operation");
* ``sts:AssumeRole`` also needs the role's trust policy to allow the caller; a trust policy that
  names the caller itself suffices on its own, one that names the caller's account delegates to
  the caller's identity policies;
* ``RoleSessionName`` must match ``[\\w+=,.@-]{2,64}``, else 400 ValidationError.

Refusals are 403 AccessDenied "User: ARN is not authorized to perform: ACTION on resource:
RESOURCE because no identity-based policy allows the ACTION action" (or "with an explicit deny
in an identity-based policy"); a trust policy that refuses gives the message without a reason.
Resources (our choice, docs/aws-behaviour.md CHOICE-111): ``UserName`` / ``RoleName`` /
``GroupName`` name ``user/NAME`` / ``role/NAME`` / ``group/NAME``; ``PolicyArn`` and ``RoleArn``
name themselves; actions on one's own user without ``UserName`` name the caller's user;
anything else is ``*``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from ...signing.sent_request import SentRequest
from ..authn.identity import Principal
from ..authz.context import acts_as_root, request_context
from ..authz.policy.eval import Decision, PolicyError, evaluate, parse_policy
from ..authz.state import caller_policies
from ..backend import iam
from ..wire.catalogue import access_denied, validation_error

__all__ = ["NO_PERMISSION_NEEDED", "authorize_query_api", "check_role_session_name"]

#: STS calls any authenticated caller may make.
NO_PERMISSION_NEEDED = frozenset({"sts:GetCallerIdentity", "sts:GetSessionToken"})
_SESSION_NAME = re.compile(r"[\w+=,.@-]*", re.ASCII)
_SELF_ACTIONS = frozenset(
    {
        "CreateAccessKey",
        "DeleteAccessKey",
        "ListAccessKeys",
        "UpdateAccessKey",
        "GetUser",
        "ChangePassword",
        "ListUserPolicies",
        "ListAttachedUserPolicies",
        "ListGroupsForUser",
        "ListMFADevices",
        "ListSigningCertificates",
        "ListSSHPublicKeys",
    }
)


def check_role_session_name(params: Mapping[str, str]) -> None:
    """AssumeRole's ``RoleSessionName``: 2 to 64 of ``[\\w+=,.@-]`` (400 ValidationError)."""
    name = params.get("RoleSessionName")
    if name is None:
        return
    prefix = f"1 validation error detected: Value '{name[:128]}' at 'roleSessionName' failed to "
    if len(name) < 2:
        raise validation_error(
            prefix + "satisfy constraint: Member must have length greater than or equal to 2"
        )
    if len(name) > 64:
        raise validation_error(
            prefix + "satisfy constraint: Member must have length less than or equal to 64"
        )
    if not _SESSION_NAME.fullmatch(name):
        raise validation_error(
            prefix + "satisfy constraint: Member must satisfy regular expression pattern: "
            "[\\w+=,.@-]*"
        )


def _resource(service: str, action: str, params: Mapping[str, str], caller: Principal) -> str:
    account = caller.account_id
    if service == "sts":
        return params.get("RoleArn", "*") if action == "AssumeRole" else "*"
    for param, kind in (("UserName", "user"), ("RoleName", "role"), ("GroupName", "group")):
        if params.get(param):
            return f"arn:aws:iam::{account}:{kind}/{params[param]}"
    if params.get("PolicyArn"):
        return params["PolicyArn"]
    if action in _SELF_ACTIONS and caller.kind in ("user", "session") and caller.name:
        return f"arn:aws:iam::{account}:user/{caller.name}"
    return "*"


def _refused(caller: Principal, action: str, resource: str, why: str | None) -> Exception:
    message = f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource}"
    return access_denied(message if why is None else f"{message} {why}")


def _identity(
    caller: Principal, action: str, resource: str, context: dict[str, list[str]]
) -> Decision:
    if acts_as_root(caller):
        return "Allow"
    mine = caller_policies(caller)
    decision = evaluate(
        mine.policies, principal_arn=caller.arn, action=action, resource=resource, context=context
    )
    if decision == "Allow" and mine.boundary is not None:
        bounded = evaluate(
            [mine.boundary], principal_arn=caller.arn, action=action, resource=resource,
            context=context,
        )  # fmt: skip
        decision = "Allow" if bounded == "Allow" else bounded
    return decision


def _trust(
    caller: Principal, role_arn: str, context: dict[str, list[str]]
) -> tuple[Decision, bool]:
    """The trust policy's decision, and whether it names the caller itself (not its account)."""
    document = iam.role_trust_policy(caller.account_id, role_arn)
    try:
        trust = parse_policy(document or "", resource_policy=True, require_resource=False)
    except PolicyError:
        return "ImplicitDeny", False
    decisions = [
        evaluate(
            [trust],
            principal_arn=caller.arn,
            action="sts:AssumeRole",
            resource=role_arn,
            context=context,
            account_allow_matches_members=members,
        )
        for members in (True, False)
    ]
    return decisions[0], decisions[1] == "Allow"


def authorize_query_api(
    service: str,
    action: str,
    params: Mapping[str, str],
    caller: Principal,
    *,
    now: datetime,
    scheme: str,
) -> None:
    """Raise 403 AccessDenied unless ``caller`` may call ``service:action`` with ``params``."""
    full = f"{service}:{action}"
    if full in NO_PERMISSION_NEEDED:
        return
    resource = _resource(service, action, params, caller)
    sent = SentRequest("POST", f"{service}.amazonaws.com", "/", (), ())
    context = request_context(sent, scheme=scheme, now=now, principal=caller)
    identity = _identity(caller, full, resource, context)
    if identity == "Deny":
        raise _refused(caller, full, resource, "with an explicit deny in an identity-based policy")
    if full == "sts:AssumeRole":
        trust, names_caller = _trust(caller, resource, context)
        if trust != "Allow" or (identity != "Allow" and not names_caller):
            why = (
                None
                if trust != "Allow"
                else ("because no identity-based policy allows the sts:AssumeRole action")
            )
            raise _refused(caller, full, resource, why)
        return
    if identity != "Allow":
        raise _refused(
            caller, full, resource, f"because no identity-based policy allows the {full} action"
        )
